"""Words django-allauth shows on the site's pages: its form labels and errors, its flash
messages and the pages and e-mails of its we do not override. allauth has no Welsh
catalogue, so their Welsh lives in ours; listing them here keeps ``makemessages`` from
dropping it. Nothing imports this module: the list is for the catalogue alone."""

from django.utils.translation import gettext_noop, pgettext_lazy

ALLAUTH_WORDS = [
    gettext_noop("This account is currently inactive."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The phone number and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("Incorrect code."),
    gettext_noop("Incorrect password."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("Invalid login."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("A user is already registered with this phone number."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("The phone number is not assigned to any user account."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Username can not be used. Please use other username."),
    gettext_noop("The username and/or password you specified are not correct."),
    gettext_noop("Please select only one."),
    gettext_noop("The new value must be different from the current one."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("Use your password"),
    gettext_noop("Use authenticator app or code"),
    gettext_noop("Use a security key"),
    gettext_noop("Email"),
    gettext_noop("Phone"),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Remember Me"),
    gettext_noop("Username"),
    pgettext_lazy("field label", "Login"),
    gettext_noop("Username, email or phone"),
    gettext_noop("Username or email"),
    gettext_noop("Username or phone"),
    gettext_noop("Email or phone"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Email (again)"),
    gettext_noop("Email address confirmation"),
    gettext_noop("Email (optional)"),
    gettext_noop("Username (optional)"),
    gettext_noop("You must type the same email each time."),
    gettext_noop("Password (again)"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop(
        "You cannot add an email address to an account protected by two-factor authentication."
    ),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop(
        "You cannot generate recovery codes without having two-factor authentication enabled."
    ),
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified your email address."
    ),
    gettext_noop("Master key"),
    gettext_noop("Backup key"),
    gettext_noop("Key nr. {number}"),
    gettext_noop("Authenticator code"),
    gettext_noop(
        "An account already exists with this email address. Please sign in to that "
        "account first, then connect your %s account."
    ),
    gettext_noop("Invalid token."),
    gettext_noop("Your account has no password set up."),
    gettext_noop("Your account has no verified email address."),
    gettext_noop("You cannot disconnect your last remaining third-party account."),
    gettext_noop("The third-party account is already connected to a different account."),
    gettext_noop("Confirm Access"),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Alternative options"),
    gettext_noop("Sign In"),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop("Email Changed"),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Email Confirmation"),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email "
        "address to register an account on %(site_domain)s."
    ),
    gettext_noop(
        "Your email verification code is listed below. Please enter it in your open browser window."
    ),
    gettext_noop("To confirm this is correct, go to %(activate_url)s"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Email Removed"),
    gettext_noop("Your password has been changed."),
    gettext_noop("Password Changed"),
    gettext_noop("Your password has been set."),
    gettext_noop("Password Set"),
    gettext_noop(
        "Unable to confirm %(email)s because it is already confirmed by a different account."
    ),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("A verification code has been sent to %(phone)s."),
    gettext_noop("You have verified phone number %(phone)s."),
    gettext_noop("Primary email address set."),
    gettext_noop("Enter your password:"),
    gettext_noop("Signup"),
    gettext_noop("Sign Up"),
    gettext_noop("Continue"),
    gettext_noop("A new set of Two-Factor Authentication recovery codes has been generated."),
    gettext_noop("New Recovery Codes Generated"),
    gettext_noop("Authenticator app activated."),
    gettext_noop("Authenticator App Activated"),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("Authenticator App Deactivated"),
    gettext_noop("A new security key has been added."),
    gettext_noop("Security Key Added"),
    gettext_noop("A security key has been removed."),
    gettext_noop("Security Key Removed"),
    gettext_noop("Deactivate"),
    gettext_noop("Recovery Codes"),
    gettext_noop("Generate"),
    gettext_noop("A new set of recovery codes has been generated."),
    gettext_noop("Save them  in a secure location now — they won't be shown again."),
    gettext_noop("Security key added."),
    gettext_noop("Security key removed."),
    gettext_noop("Enter an authenticator code:"),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop("This action will invalidate your existing codes."),
    gettext_noop("Are you sure?"),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop(
        "You are about to deactivate authenticator app based authentication. Are you sure?"
    ),
    gettext_noop("Third-Party Login Failure"),
    gettext_noop("An error occurred while attempting to login via your third-party account."),
    gettext_noop("Connect %(provider)s"),
    gettext_noop("You are about to connect a new third-party account from %(provider)s."),
    gettext_noop("Sign In Via %(provider)s"),
    gettext_noop("You are about to sign in using a third-party account from %(provider)s."),
    gettext_noop("Login Cancelled"),
    gettext_noop(
        "You decided to cancel logging in to our site using one of your existing "
        "accounts. If this was a mistake, please proceed to <a "
        'href="%(login_url)s">sign in</a>.'
    ),
    gettext_noop(
        "You are about to use your %(provider_name)s account to login "
        "to\n%(site_name)s. As a final step, please complete the following form:"
    ),
]
