"""Framework wording in the reader's language, with English where a text is not translated.

A translated field keeps the English in its own column, as before, and each row keeps its
other languages in one ``translations`` column: ``{"cy": {"from_text": "…", …}, …}``.
Reading the field (``statement.from_text``, in Python or a template) gives the active
language's text when the row has one, else the English; so no caller chooses a language,
and a language is added without a migration. Writes always store the English: the field's
``pre_save`` and ``value_from_object`` (saving, forms, the admin, serialising) read the
column itself. ``QuerySet.bulk_update`` reads attributes as they are shown, so bulk updates
of these fields are made with no language active (``translation.override(None)``).

Translations are not the wording people answered: they stay out of a version's content
hash, and a corrected translation changes the same version (see services.py).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import translation


def base_language(code: str) -> str:
    """ "cy" for "cy" and "cy-gb"; the translations are kept by the first part."""
    return code.split("-")[0].lower()


def reading_language() -> str | None:
    """The language the active request reads in, if it is not the site's own (English)."""
    language = translation.get_language()
    if not language:
        return None
    base = base_language(language)
    return None if base == base_language(settings.LANGUAGE_CODE) else base


class TranslatedAttribute(DeferredAttribute):
    """A data descriptor (it has ``__set__``), so that reading goes through ``__get__``
    even when the English is loaded into the instance's ``__dict__``."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        english = super().__get__(instance, cls)
        # A row without translations (the common case before any are loaded) costs no look
        # at the active language, which is the dearer part of a read.
        translations = instance.translations
        if not translations:
            return english
        language = reading_language()
        if language is None:
            return english
        return (translations.get(language) or {}).get(self.field.attname) or english


class _Translated:
    """Mixed into a text field: read in the reader's language, written in English."""

    descriptor_class = TranslatedAttribute

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        with translation.override(None):
            return super().pre_save(model_instance, add)  # type: ignore[misc]

    def value_from_object(self, obj: models.Model) -> Any:
        with translation.override(None):
            return super().value_from_object(obj)  # type: ignore[misc]


class TranslatedCharField(_Translated, models.CharField):
    pass


class TranslatedTextField(_Translated, models.TextField):
    pass


def translations_field() -> models.JSONField:
    return models.JSONField(
        default=dict,
        blank=True,
        help_text="This row's wording in other languages: {language: {field: text}}.",
    )


def translated_names(model: type[models.Model]) -> tuple[str, ...]:
    """The model's translated fields, in the order declared."""
    return tuple(f.name for f in model._meta.concrete_fields if isinstance(f, _Translated))
