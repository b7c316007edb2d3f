"""The original worker: `celery --app todo.tasks.ical worker`."""
import os
from datetime import datetime

from celery import Celery
from icalendar import Calendar, Event

celery = Celery(__name__)
celery.conf.broker_url = os.environ.get("CELERY_BROKER_URL")
celery.conf.result_backend = os.environ.get("CELERY_RESULT_BACKEND")
celery.conf.task_default_queue = os.environ.get("CELERY_DEFAULT_QUEUE", "ical")


@celery.task(name="ical")
def create_ical(tasks):
    # The practical sleeps 50 s here to imitate slow work; left out to measure the pipeline.
    cal = Calendar()
    cal.add("prodid", "-//Taskoverflow Calendar//mxm.dk//")
    cal.add("version", "2.0")
    for task in tasks:
        event = Event()
        event.add("uid", task["id"])
        event.add("summary", task["title"])
        event.add("description", task["description"])
        event.add("dtstart", datetime.strptime(task["deadline_at"], "%Y-%m-%dT%H:%M:%S"))
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
