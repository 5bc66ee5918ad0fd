from ._unlock import UnlockCommand


class Command(UnlockCommand):
    help = "Mở khóa đăng nhập cho các tài khoản đã nêu, từ mọi địa chỉ."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="+", help="Tên đăng nhập.")

    def handle(self, *args, username: list[str], **options):
        self.report(sum(self.reset(username=name) for name in username))
