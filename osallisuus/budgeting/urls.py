from django.urls import URLPattern

app_name = "budgeting"

urlpatterns: list[URLPattern] = []
