from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "预决算数据"
    default_auto_field = "django.db.models.BigAutoField"
