from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("invitation/", views.invitation, name="invitation"),
    path("invitation/<str:token>/", views.invitation_open, name="invitation_open"),
    path("<slug:provider>/", views.start, name="start"),
    path("<slug:provider>/callback/", views.callback, name="callback"),
    path("<slug:provider>/result/", views.result, name="result"),
    path("<slug:provider>/backchannel-logout/", views.backchannel_logout, name="backchannel_logout"),
]
