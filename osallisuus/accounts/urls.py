from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("password/", views.password_change, name="password_change"),
    path("password/set/<uidb64>/<token>/", views.password_set, name="password_set"),
    path("", views.profile, name="profile"),
    path("people/", views.people_list, name="people"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]
