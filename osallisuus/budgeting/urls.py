from django.urls import path

from . import views

app_name = "budgeting"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.process_new, name="process_new"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.process_detail, name="process"),
    path("<int:pk>/edit/", views.process_edit, name="process_edit"),
    path("<int:pk>/phase/", views.process_phase, name="process_phase"),
    path("<int:pk>/publish/", views.results_publish, name="results_publish"),
    path("<int:pk>/voters/", views.voters, name="voters"),
    path("voters/<int:pk>/remove/", views.voter_remove, name="voter_remove"),
    path("<int:pk>/propose/", views.proposal_new, name="proposal_new"),
    path("<int:pk>/ballot/", views.ballot, name="ballot"),
    path("<int:pk>/assist/", views.assist, name="assist"),
    path("<int:pk>/assist/code/", views.assist_code, name="assist_code"),
    path("<int:pk>/codes/", views.codes, name="codes"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/pabulib.pb", views.pabulib_export, name="pabulib"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/check/", views.proposal_review, name="proposal_review"),
    path("proposals/<int:pk>/image/", views.proposal_image, name="proposal_image"),
    path("proposals/<int:pk>/join/<str:token>/", views.proposal_join, name="proposal_join"),
    path("proposals/<int:pk>/purchase/", views.purchase_new, name="purchase_new"),
    path("purchases/<int:pk>/", views.purchase_detail, name="purchase"),
    path("purchases/<int:pk>/delivered/", views.purchase_deliver, name="purchase_deliver"),
    path("purchases/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("code/<str:key>/", views.code_start, name="code_start"),
    path("code/<str:key>/ballot/", views.code_ballot, name="code_ballot"),
    path("code/<str:key>/thanks/", views.code_thanks, name="code_thanks"),
]
