app_name = "children"
urlpatterns = []
