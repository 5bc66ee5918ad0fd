"""`nghiquyet api-token USERNAME [--name N] [--revoke PREFIX]`: issue or revoke API tokens."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from nghiquyet.accounts.models import ApiToken
from nghiquyet.audit.actions import record


class Command(BaseCommand):
    help = "Cấp hoặc thu hồi khóa API cho một người dùng (khóa chỉ hiện một lần)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API", help="Tên gợi nhớ của khóa")
        parser.add_argument("--revoke", metavar="PREFIX", help="Thu hồi khóa có tiền tố này")

    def handle(self, *args, username, name, revoke=None, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Không có người dùng “{username}”.") from None
        with transaction.atomic():
            if revoke:
                tokens = list(ApiToken.objects.filter(user=user, prefix=revoke[:8], revoked=False))
                if not tokens:
                    raise CommandError(f"Không có khóa đang dùng với tiền tố “{revoke[:8]}”.")
                for t in tokens:
                    t.revoked = True
                    t.save(update_fields=["revoked"])
                    record("revoke_api_token", t, acting_user=None)
                self.stdout.write(f"Đã thu hồi {len(tokens)} khóa.")
                return
            token, key = ApiToken.issue(user, name)
            record("issue_api_token", token, acting_user=None)
        self.stdout.write(f"Khóa API cho {username} (chỉ hiện một lần, hãy lưu lại):\n{key}")
        self.stdout.write("Dùng trong tiêu đề: Authorization: Bearer <khóa>")
