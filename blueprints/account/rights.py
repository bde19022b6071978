"""Data rights (issue 13, 7a): download my data, delete my account."""
from flask import current_app, send_file, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, ValidationError
from wtforms.validators import DataRequired
from werkzeug.security import check_password_hash

from blueprints.account import bp
from extensions import limiter
from services import account_deletion, data_export, permissions
from web import go, render, require


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password"))])
    confirm = StringField(_l("Your e-mail address"), validators=[
        DataRequired(_l("Type your e-mail address to confirm"))])

    def validate_password(self, field):
        if not check_password_hash(current_user.password_hash, field.data or ""):
            raise ValidationError(_l("Enter your password correctly"))

    def validate_confirm(self, field):
        if (field.data or "").strip().lower() != (current_user.email or "").lower():
            raise ValidationError(_l("Type your own e-mail address, exactly as it is"))


def _data_key():
    return f"mydata:{getattr(current_user, 'id', '-')}"


@bp.route("/data", methods=["POST"])
@require(permissions.can_download_my_data)
@limiter.limit("5 per hour", key_func=_data_key)
def download_data():
    """Build the zip of everything the platform holds about me and send it (CSRFProtect
    has checked the form's token before this runs)."""
    user = current_user._get_current_object()
    archive = data_export.build_zip(user, current_app.config["UPLOAD_DIR"])
    response = send_file(archive, mimetype="application/zip", as_attachment=True,
                         download_name=f"opentwin-my-data-{user.id}.zip", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@require(permissions.can_delete_own_account)
def delete_account():
    """Explain what deleting the account does; on POST with the password and the typed
    e-mail address, do it, end every session and say goodbye."""
    user = current_user._get_current_object()
    blocking = account_deletion.last_teacher_of(user)
    form = DeleteAccountForm()
    if form.validate_on_submit() and not blocking:
        account_deletion.erase(user, current_app.config["UPLOAD_DIR"])
        lang = session.get("lang")
        logout_user()
        session.clear()
        if lang:
            session["lang"] = lang
        return go(url_for("account.deleted"))
    status = 400 if form.errors else (409 if blocking and form.is_submitted() else None)
    return render("account/delete.html", form=form, blocking=blocking, status=status)


@bp.route("/deleted")
def deleted():
    """The goodbye page after deleting an account (nobody is logged in any more)."""
    return render("account/deleted.html")
