from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Self-reflection rounds"

    def ready(self) -> None:
        # The receivers of the layers that act on what a lower layer tells them
        # (docs/ARCHITECTURE.md, "Layers"). None depends on another's running first.
        from assessments.accounts import receivers as accounts  # noqa: F401
        from assessments.cohorts import receivers as cohorts  # noqa: F401
        from assessments.documents.stamp import watch
        from assessments.figures import receivers as figures  # noqa: F401
        from assessments.workshops import receivers as workshops  # noqa: F401

        watch()
