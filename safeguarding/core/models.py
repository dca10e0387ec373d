"""Agencies, users, module grants, the audit trail, and queued imports."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

AGENCY_SECTORS = [
    ("local_authority", "Local authority"),
    ("police", "Police"),
    ("health", "Health"),
    ("education", "Education"),
    ("early_years", "Early years"),
    ("probation", "Probation"),
    ("youth_justice", "Youth justice"),
    ("housing", "Housing"),
    ("voluntary", "Voluntary and community sector"),
    ("faith", "Faith sector"),
    ("other", "Other"),
]

ROLES = [
    ("reader", "Reader: figures only"),
    ("contributor", "Contributor: own agency's records"),
    ("officer", "Officer: every record of the module"),
    ("manager", "Manager: officer, plus configuration and bulk export"),
]


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=40, choices=AGENCY_SECTORS)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_partnership_admin", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Access to records comes only from module grants."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_partnership_admin = models.BooleanField(
        default=False, help_text="Manages agencies and users; gives no access to case records."
    )
    date_joined = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:  # Django admin is not used.
        return False

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ModuleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    module = models.CharField(max_length=40)
    role = models.CharField(max_length=20, choices=ROLES)
    # Since when the user has held this role, and who granted it (the access review).
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_grant_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.module}: {self.role}"

    @property
    def module_label(self) -> str:
        from .permissions import MODULES

        return MODULES.get(self.module, self.module)


class ImmutableRow(Exception):
    """Audit and access rows are written once and never changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRow(f"{self.model.__name__} rows cannot be changed")

    def delete(self):
        raise ImmutableRow(f"{self.model.__name__} rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRow(f"{self.model.__name__} rows cannot be changed")

    def update_or_create(self, *args, **kwargs):
        raise ImmutableRow(f"{self.model.__name__} rows cannot be changed")


class AppendOnly(models.Model):
    """A row of a hash-chained log (core/chain.py): ``seq`` is its place in the chain and
    ``hash`` covers its contents and the hash of the row before, so that a changed,
    removed or inserted row breaks the chain (``safeguarding audit verify``)."""

    seq = models.BigIntegerField(unique=True, null=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRow(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRow(f"{type(self).__name__} rows cannot be deleted")


class ChainHead(models.Model):
    """The last link of each hash chain ("audit", "access"); locked while rows are added."""

    name = models.CharField(max_length=20, primary_key=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)


class AuditEvent(AppendOnly):
    """One change to a record, written in the same transaction as the change."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=40)
    module = models.CharField(max_length=40, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]


class AccessEvent(AppendOnly):
    """A view or export of personal data (who looked at what, and when)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    user_label = models.CharField(max_length=200)
    kind = models.CharField(max_length=20)  # view, list, export, search
    module = models.CharField(max_length=40)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]


class AccessReview(models.Model):
    """A periodic review of who holds which role, recorded on the access review page."""

    reviewed_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    modules = models.JSONField(default=list)  # the modules the reviewer looked at
    grants = models.PositiveIntegerField(default=0)  # how many grants were reviewed
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_at", "-id"]


class ImportJob(models.Model):
    """A big web upload, checked and written by the task queue behind a progress page.

    The file is held here only until the import has run. Only the person who uploaded it
    can see the job (its id is random, so it cannot be guessed from another)."""

    STATUSES = [
        ("queued", "Waiting to start"),
        ("checking", "Checking every row"),
        ("writing", "Saving the records"),
        ("done", "Imported"),
        ("rejected", "Not imported: the file has problems"),
        ("failed", "Not imported: something went wrong"),
    ]
    FINISHED = ("done", "rejected", "failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    register = models.CharField(max_length=40)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    suffix = models.CharField(max_length=10)  # .csv or .xlsx: the name itself is not kept
    size = models.PositiveBigIntegerField(default=0)
    content = models.BinaryField(default=b"")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=STATUSES, default="queued")
    rows = models.PositiveIntegerField(default=0)
    summary = models.CharField(max_length=300, blank=True)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @classmethod
    def start(cls, *, register: str, upload, user, dry_run: bool) -> "ImportJob":
        """Keep the file and queue the import; the task runs it (core/tasks.py)."""
        from pathlib import Path

        from .tasks import run_import_job

        job = cls.objects.create(
            register=register,
            created_by=user,
            suffix=Path(upload.name).suffix.lower()[:10],
            size=upload.size,
            content=b"".join(upload.chunks()),
            dry_run=dry_run,
        )
        run_import_job.enqueue(str(job.pk))
        return job
