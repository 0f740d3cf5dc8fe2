app_name = "sandbox_bank"

urlpatterns: list = []
