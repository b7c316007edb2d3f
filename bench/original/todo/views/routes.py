"""The routes the benchmark drives: health, and the calendar export through Celery."""
from celery.result import AsyncResult
from flask import Blueprint, jsonify, url_for

from todo.models.todo import Todo
from todo.tasks import ical

api = Blueprint("api", __name__, url_prefix="/api/v1")


@api.route("/health")
def health():
    return jsonify({"status": "ok"})


@api.route("/todos/ical", methods=["POST"])
def create_ical():
    # Every todo goes into the task's message: the worker never reads the database.
    todos = Todo.query.order_by(Todo.created_at.desc()).all()
    todo_input = [todo.to_dict() for todo in todos]
    task = ical.create_ical.delay(todo_input)
    result = {
        "task_id": task.id,
        "task_url": url_for("api.get_task", task_id=task.id, _external=True),
    }
    return jsonify(result), 202


@api.route("/todos/ical/<task_id>/status")
def get_task(task_id):
    task_result = AsyncResult(task_id, app=ical.celery)
    result = {
        "task_id": task_id,
        "task_status": task_result.status,
        "result_url": url_for("api.get_calendar", task_id=task_id),
    }
    return jsonify(result)


@api.route("/todos/ical/<task_id>/result")
def get_calendar(task_id):
    task_result = AsyncResult(task_id, app=ical.celery)
    if task_result.status == "SUCCESS":
        return task_result.result, 200, {"Content-Type": "text/calendar"}
    return jsonify({"error": "Task not finished"}), 404
