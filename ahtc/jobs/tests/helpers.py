"""Running jobs inside a test: the real worker loop, in this process, bounded."""

from __future__ import annotations

from typing import Any

from django.test import Client

from ahtc.jobs.files import export_delete
from ahtc.jobs.worker import JobWorker


def run_jobs(
    *, max_tasks: int | None = None, schedule: bool = False, worker_id: str = "test-worker"
) -> int:
    """Run every waiting job (at most `max_tasks`), then return how many ran.
    No heartbeat thread: the test's transaction belongs to this thread."""
    worker = JobWorker(
        worker_id=worker_id,
        interval=0,
        once=True,
        max_tasks=max_tasks,
        schedule=schedule,
        heartbeat_thread=False,
    )
    worker.run()
    return worker._run_tasks


def follow_export(client: Client, response: Any) -> Any:
    """An export request answers with a redirect to its job: run the job,
    check its page offers the file, and download it."""
    assert response.status_code == 302, response.status_code
    job_url = response["Location"]
    assert job_url.startswith("/cell/jobs/")
    run_jobs()
    page = client.get(job_url)
    assert page.status_code == 200
    download = job_url + "download/"
    assert download in page.content.decode()
    response = client.get(download)
    # Tests outside jobs/ keep the default MEDIA_ROOT: leave no file behind.
    export_delete(page.context["job"].file_name)
    return response
