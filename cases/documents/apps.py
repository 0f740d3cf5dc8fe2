from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cases.documents"
    label = "documents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import CaseDocument
        from .services import forget_kinds_of

        # A document written or deleted one by one, by any code, drops the kinds a case
        # object remembers (services.document_kinds), when it is that same object.
        post_save.connect(forget_kinds_of, sender=CaseDocument,
                          dispatch_uid="documents.forget_kinds.save")
        post_delete.connect(forget_kinds_of, sender=CaseDocument,
                            dispatch_uid="documents.forget_kinds.delete")
