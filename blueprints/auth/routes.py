"""Register, confirm the e-mail, log in and out, reset a forgotten password (P-6)."""
from flask import current_app, flash, render_template, request, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from blueprints.auth import bp
from blueprints.auth.attempts import Attempts
from blueprints.auth.forms import ForgotForm, LoginForm, NewPasswordForm, RegisterForm
from blueprints.errors import error_page
from extensions import limiter
from models import Role, School, User, db, utcnow
from peewee import fn
from services import accounts, audit, search, spaces
from services.mail import send_mail
from services.reference import country_choices
from web import external_url, go, next_or, render


def start_session(user):
    """Log a user in with a fresh session, in the language the account prefers."""
    session.clear()
    login_user(user)
    session["lang"] = user.language
    user.last_login_at = utcnow()
    user.save(only=[User.last_login_at])


def send_confirmation(user):
    link = external_url("auth.confirm", token=accounts.confirm_token(
        current_app.config["SECRET_KEY"], user))
    with force_locale(user.language):
        send_mail(current_app.config, user.email, _("Confirm your e-mail address for OpenTwin"),
                  render_template("mail/confirm.txt", user=user, link=link))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def register():
    """Register as a teacher: school first, then who you are and what you teach."""
    if current_user.is_authenticated:
        return go(url_for("portal.home"))
    form = RegisterForm(country_choices=country_choices(str(get_locale())))
    if request.method == "GET" and request.args.get("country"):
        # The school list follows the country (htmx asks for it, or a shared link names it).
        form.country.data = request.args["country"]
        form.load_schools()
    partials = {"school-field": "auth/_school_field.html"}
    # Without JavaScript, "Show schools" posts the form only to fill the school list. (Enter
    # in a later field also sends that first button: with a password typed, it is a submit.)
    if (request.method == "POST" and request.form.get("action") == "schools"
            and not request.form.get("password")):
        return render("auth/register.html", form=form, status=200)
    if form.validate_on_submit():
        return _create_teacher(form)
    return render("auth/register.html", partials=partials, form=form)


def _create_teacher(form):
    school = None
    if form.school.data:
        school = School.get_by_id(int(form.school.data))
    else:
        name = form.new_school_name.data.strip()
        school = (School.of_country(form.country.data)
                  .where(fn.LOWER(School.name) == name.lower()).first()
                  or School.create(country=form.country.data, name=name,
                                   city=(form.new_school_city.data or "").strip()))
        search.index_school(school)
    try:
        user = accounts.create_user(
            role=Role.TEACHER, name=form.name.data, email=form.email.data,
            password=form.password.data, country=form.country.data, school=school,
            language=str(get_locale()), subjects=form.subjects.data,
            age_ranges=form.age_ranges.data)
    except accounts.AccountExists:
        form.email.errors.append(_("An account with this e-mail address already exists: log "
                                   "in, or reset your password if you have forgotten it"))
        return render("auth/register.html", form=form)
    send_confirmation(user)
    start_session(user)
    return go(url_for("live.dashboard"),
              _("Welcome to OpenTwin! We have sent a link to %(email)s: open it to confirm "
                "your e-mail address.", email=user.email))


@bp.route("/confirm/<token>")
def confirm(token):
    """Confirm an e-mail address from the link in the mail."""
    user = accounts.user_for_confirm_token(current_app.config["SECRET_KEY"], token)
    if user is None:
        return error_page(400, _("This confirmation link does not work"),
                          _("It may be incomplete or more than a week old. Log in and ask "
                            "for a new link."))
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
        user.save(only=[User.email_confirmed_at])
    if not current_user.is_authenticated:
        destination = url_for("auth.login")
    elif current_user.id == user.id:
        destination = home_for(user)
    else:
        destination = url_for("portal.home")
    return go(destination, _("Your e-mail address %(email)s is confirmed.", email=user.email))


@bp.route("/confirm", methods=["POST"])
@login_required
@limiter.limit("5 per hour", key_func=lambda: f"confirm:{getattr(current_user, 'id', '-')}")
def resend_confirmation():
    """Send the confirmation link again."""
    if current_user.email and not current_user.email_confirmed:
        send_confirmation(current_user)
        flash(_("We have sent a new link to %(email)s.", email=current_user.email), "success")
    return go(next_or(url_for("portal.home")))


@bp.route("/login", methods=["GET", "POST"])
# A flood ceiling only: a whole school's pupils log in at the start of a lesson from one
# address, so it sits well above a few classes at once (failures have their own limits).
@limiter.limit("300 per minute", methods=["POST"])
def login():
    """Log in with an e-mail address (teachers, staff) or a username (pupils).

    Only failed attempts count against a limit (see attempts.py): per account from one
    address, and per address. Over either, the form says how long to wait (HTTP 429)."""
    form = LoginForm()
    if form.validate_on_submit():
        tries = Attempts(form.identifier.data, get_remote_address())
        wait = tries.wait()
        if wait:
            minutes = max(1, -(-wait // 60))
            form.identifier.errors.append(ngettext(
                "Too many failed attempts to log in. Wait %(num)d minute and try again, or "
                "set a new password with the link below.",
                "Too many failed attempts to log in. Wait %(num)d minutes and try again, or "
                "set a new password with the link below.", minutes))
            body, status = render("auth/login.html", form=form, status=429)
            return body, status, {"Retry-After": str(wait)}
        user = accounts.check_login(form.identifier.data, form.password.data)
        if user is not None:
            tries.succeeded()
            start_session(user)
            return go(next_or(home_for(user)))
        tries.failed()
        # One message whatever was wrong, so nobody learns which addresses have accounts.
        form.identifier.errors.append(
            _("Enter a correct e-mail address or username and password"))
    return render("auth/login.html", form=form)


def home_for(user):
    """Where each role starts after logging in: teachers on their desktop, staff on the admin
    dashboard, pupils and guests in their space (or the list of them, if they have several)."""
    if user.role == Role.TEACHER:
        return url_for("live.dashboard")
    if user.role in Role.STAFF:
        return url_for("admin.dashboard")
    from blueprints.spaces import parents
    mine = spaces.spaces_of(user)
    if len(mine) == 1:
        return parents.url_for_space(mine[0].space, "home")
    kinds = sorted({m.space.kind for m in mine})
    parent = parents.for_kind(kinds[0]) if kinds else parents.all_parents()[0]
    return url_for(parent.list_endpoint)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out here and on every other computer (the language choice stays).

    School computers are shared: a pupil who forgot to log out elsewhere is logged out there
    too, because the session token every cookie of this account carries is replaced.
    """
    lang = session.get("lang")
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.rotate_session_token()
        user.save(only=[User.session_token])
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    return go(url_for("portal.home"), _("You have logged out."))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    """Ask for a link to set a new password."""
    form = ForgotForm()
    if form.validate_on_submit():
        user = User.by_login(form.email.data)
        if user is not None and user.email and not user.disabled:
            link = external_url("auth.reset_password", token=accounts.reset_token(
                current_app.config["SECRET_KEY"], user))
            with force_locale(user.language):
                send_mail(current_app.config, user.email, _("Set a new OpenTwin password"),
                          render_template("mail/reset.txt", user=user, link=link))
        # The same answer whether or not the address has an account.
        return go(url_for("auth.forgot_sent"))
    return render("auth/forgot.html", form=form)


@bp.route("/password/forgot/sent")
def forgot_sent():
    """Say what happens next, without telling whether the address has an account."""
    return render("auth/forgot_sent.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    """Set a new password from the link in the mail; the link works once, for an hour."""
    user = accounts.user_for_reset_token(current_app.config["SECRET_KEY"], token)
    if user is None:
        return error_page(400, _("This link has expired or has already been used"),
                          _("Links to set a new password work once, for one hour. Ask for a "
                            "new link."))
    form = NewPasswordForm(email=user.email)
    if form.validate_on_submit():
        with db.atomic():
            accounts.set_password(user, form.password.data)
            if not user.email_confirmed:
                # Following the link proved the address is theirs.
                user.email_confirmed_at = utcnow()
                user.save(only=[User.email_confirmed_at])
            audit.record(user, "password.reset", user)
        if current_user.is_authenticated:
            logout_user()
        return go(url_for("auth.login"),
                  _("Your password has been changed. Log in with your new password."))
    return render("auth/reset.html", form=form, token=token)
