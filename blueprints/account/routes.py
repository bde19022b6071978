"""Your account: who you are on the platform, and changing your password."""
from flask import session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, ValidationError
from wtforms.validators import DataRequired, EqualTo
from werkzeug.security import check_password_hash

from blueprints.account import bp
from blueprints.auth.forms import check_new_password
from services import accounts, permissions
from web import go, render, require


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password"))])
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Enter a new password"))])
    confirm = PasswordField(_l("Confirm new password"), validators=[
        DataRequired(_l("Enter the new password again")),
        EqualTo("password", _l("Enter the same password twice"))])

    def validate_current(self, field):
        if not check_password_hash(current_user.password_hash, field.data or ""):
            raise ValidationError(_l("Enter your current password correctly"))

    def validate_password(self, field):
        check_new_password(field.data, current_user.email)


@bp.route("/")
@require(permissions.is_logged_in)
def show():
    """Show the account's details and the password form."""
    return render("account/show.html", form=ChangePasswordForm(formdata=None))


@bp.route("/password", methods=["POST"])
@require(permissions.is_logged_in)
def change_password():
    """Change the password; every other session of this account ends."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render("account/show.html", form=form)
    user = current_user._get_current_object()
    accounts.set_password(user, form.password.data)
    lang = session.get("lang")
    session.clear()
    login_user(user)  # this session carries on under the new token
    session["lang"] = lang or user.language
    return go(url_for("account.show"),
              _("Your password has been changed. You have been logged out everywhere else."))
