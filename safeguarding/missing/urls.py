app_name = "missing"
urlpatterns = []
