"""What every background job records (an e-mail in the outbox, a download being prepared):
its state, its tries, and which worker holds it until when. The queue itself (django-tasks'
database backend) only knows "run this function with this id"; what the work is about, how
far it got and why it failed live in the job's row, so pages can say so and a worker that
dies mid-task leaves a row another worker takes up again (``jobs.worker.recover``)."""

from django.db import models
from django.utils import timezone


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Being worked on"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """What every background job records: its state, its tries, and which worker holds it
    until when (its lease, renewed while the worker lives)."""

    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=64, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    # The queue's id of the task that will run it next (django-tasks' result id).
    task_id = models.CharField(max_length=64, blank=True, default="")
    # The name of the last error (never its message: it may hold an address).
    error = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}
