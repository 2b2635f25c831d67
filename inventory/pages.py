"""What every page that posts a form does with a service call."""
from flask import flash, redirect

from inventory.auth.forms import attach_error
from inventory.errors import DomainError
from inventory.extensions import db


def save_form(form, action, success: str, target: str):
    """Run ``action`` (a service call) when ``form`` is valid: commit, flash ``success`` and
    redirect to ``target``; on a DomainError roll back and show it on the form. Returns the
    redirect, or None when the page should show the form (again)."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(target)
    return None
