"""WTForms for signing in, changing the password and the two-step sign-in settings (CSRF through Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")),
                                                          Length(max=256)])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    new = PasswordField(_l("New password"), validators=[DataRequired(_l("Enter a new password.")),
                                                        Length(max=256)])
    repeat = PasswordField(_l("Repeat the new password"),
                           validators=[EqualTo("new", _l("The two new passwords are not the same."))])


class CodeForm(FlaskForm):
    """The second step of signing in: a code from the app or a recovery code."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code.")), Length(max=40)])


class SetupForm(FlaskForm):
    """Turning two-step sign-in on: the first code from the app (and, when signed in, the password)."""

    code = StringField(_l("Code from the app"), validators=[DataRequired(_l("Enter the code.")), Length(max=40)])
    password = PasswordField(_l("Your password"), validators=[Length(max=256)])


class ConfirmPasswordForm(FlaskForm):
    """A change of the two-step sign-in settings, confirmed with the password."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(_l("Enter your password.")),
                                                              Length(max=256)])
