app_name = "private_fostering"
urlpatterns = []
