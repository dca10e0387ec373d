"""Background work of the platform (django-tasks): big imports behind a progress page."""

from __future__ import annotations

import logging
import tempfile

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: str) -> str:
    """Check and write a queued upload, saving its progress for the progress page.

    All rows or none, as every import: any problem leaves the register unchanged and the
    job lists every problem. The file is deleted from the job when it has run."""
    from . import registers
    from .imports import ImportRejected, run_import
    from .models import ImportJob

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job.status

    def progress(phase: str, count: int) -> None:
        if phase == "checked":
            ImportJob.objects.filter(pk=job.pk).update(status="checking", rows=count)
        elif phase == "writing":  # before the import's transaction: others can see it
            ImportJob.objects.filter(pk=job.pk).update(status="writing", rows=count)

    ImportJob.objects.filter(pk=job.pk).update(status="checking")
    fields = {"content": b"", "finished_at": None}
    try:
        schema = registers.get(job.register).import_schema()
        with tempfile.NamedTemporaryFile(suffix=job.suffix) as handle:
            handle.write(bytes(job.content))
            handle.flush()
            result = run_import(
                schema,
                handle.name,
                acting_user=job.created_by,
                dry_run=job.dry_run,
                progress=progress,
            )
    except ImportRejected as exc:
        fields.update(status="rejected", errors=[str(e) for e in exc.errors])
    except Exception as exc:  # noqa: BLE001 - the page says so; the log names only the kind
        logger.error("import job %s failed: %s", job.pk, type(exc).__name__)
        fields.update(status="failed")
    else:
        fields.update(status="done", rows=result.rows, summary=result.summary())
    fields["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    return fields["status"]
