from django.urls import include, path

from .idp import views

urlpatterns = [
    # Before the toolkit's own: its RP-initiated logout, which also sends back-channel logouts.
    path("o/logout/", views.RPLogoutView.as_view(), name="idp-rp-logout"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("accounts/login/", views.login_view, name="idp-login"),
    path("accounts/logout/", views.logout_view, name="idp-logout"),
    path("control/<slug:action>/", views.control, name="idp-control"),
]
