from celery import shared_task


@shared_task(name="staff.refresh_summary")
def refresh_summary() -> str:
    from .summary import refresh

    return str(refresh().covered_until)
