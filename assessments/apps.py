from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Self-reflection rounds"

    def ready(self) -> None:
        from assessments.reporting.stamp import watch

        watch()
