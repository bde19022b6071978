"""Forms of a space's materials (T-4..T-6): folders, uploads, video links, describing new
images, editing a material. Files are checked in the view (services/storage.py): the forms
only carry them."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (BooleanField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField, ValidationError)
from wtforms.validators import DataRequired, Length, Optional

from blueprints.auth.forms import single_line
from models import MaterialKind
from services.materials import parse_video_url

KIND_CHOICES = [(MaterialKind.IMAGE, _l("An album, for images")),
                (MaterialKind.VIDEO, _l("A video folder")),
                (MaterialKind.DOCUMENT, _l("A document folder"))]
IMAGE_ACCEPT = "image/jpeg,image/png,image/gif,image/webp"
VIDEO_ACCEPT = "video/mp4,video/webm,video/ogg,video/quicktime,.mp4,.webm,.ogv,.mov,.m4v"
PUBLIC_MEDIA = _l("The families of everybody shown agreed to public use")
PUBLIC_DOCUMENT = _l("Show in the public view")


def _title(required=True):
    checks = [Length(max=200, message=_l("Enter a title of at most 200 characters"))]
    checks.insert(0, DataRequired(_l("Enter a title")) if required else Optional())
    return StringField(_l("Title"), filters=[single_line], validators=checks)


def _description():
    return TextAreaField(_l("Description (optional)"), validators=[
        Length(max=5000, message=_l("Shorten the description to at most 5000 characters"))])


def _people():
    return SelectMultipleField(_l("Pupils shown"), coerce=int, choices=[],
                               validate_choice=False)


class FolderForm(FlaskForm):
    kind = RadioField(_l("What it holds"), choices=KIND_CHOICES, default=MaterialKind.IMAGE,
                      validators=[DataRequired(_l("Choose an album or a kind of folder"))])
    title = _title()
    description = _description()


class FolderEditForm(FlaskForm):
    title = _title()
    description = _description()


class ImageUploadForm(FlaskForm):
    files = MultipleFileField(_l("Images"))
    people = _people()
    is_public = BooleanField(PUBLIC_MEDIA)


class DocumentUploadForm(FlaskForm):
    files = MultipleFileField(_l("Files"))
    title = _title(required=False)
    description = _description()
    is_public = BooleanField(PUBLIC_DOCUMENT)


class VideoUploadForm(FlaskForm):
    files = FileField(_l("Video file"))
    title = _title(required=False)
    description = _description()
    people = _people()
    is_public = BooleanField(PUBLIC_MEDIA)


class VideoLinkForm(FlaskForm):
    """Shown with prefix "link" beside the upload form, so the ids of the two never clash."""
    url = StringField(_l("Link to the video"), filters=[single_line], validators=[
        DataRequired(_l("Paste a link to a video on YouTube or Vimeo")),
        Length(max=500, message=_l("Paste a link to a video on YouTube or Vimeo"))])
    title = _title()
    description = _description()
    people = _people()
    is_public = BooleanField(PUBLIC_MEDIA)

    def validate_url(self, field):
        if parse_video_url(field.data) is None:
            raise ValidationError(_l("Paste a link to a video on YouTube or Vimeo"))


class MaterialForm(FlaskForm):
    """Editing a material; the view removes what does not apply to its kind."""
    title = _title()
    description = _description()
    alt_text = TextAreaField(_l("Alt text: what the image shows"), filters=[single_line],
                             validators=[
                                 DataRequired(_l("Describe the image for people who cannot "
                                                 "see it")),
                                 Length(max=300, message=_l("Shorten the description to at "
                                                            "most 300 characters"))])
    people = _people()
    is_public = BooleanField(PUBLIC_MEDIA)
    folder = SelectField(_l("Folder"), coerce=int, choices=[], validate_choice=False)

    def validate_folder(self, field):
        if field.data not in [value for value, _label in field.choices]:
            raise ValidationError(_l("Choose a folder from the list"))


def describe_form(images, formdata=None):
    """A form with a title and a required alt text per new image (fields title_<id>,
    alt_<id>), built for the images at hand."""
    class DescribeForm(FlaskForm):
        pass

    for image in images:
        setattr(DescribeForm, f"title_{image.id}", StringField(
            _l("Title"), filters=[single_line], default=image.title, validators=[
                DataRequired(_l("Enter a title")),
                Length(max=200, message=_l("Enter a title of at most 200 characters"))]))
        setattr(DescribeForm, f"alt_{image.id}", TextAreaField(
            _l("Alt text: what the image shows"), filters=[single_line], validators=[
                DataRequired(_l("Describe the image for people who cannot see it")),
                Length(max=300, message=_l("Shorten the description to at most 300 "
                                           "characters"))]))
    return DescribeForm() if formdata is None else DescribeForm(formdata=formdata)
