from ._unlock import UnlockCommand


class Command(UnlockCommand):
    help = "Mở khóa đăng nhập cho một tài khoản từ một địa chỉ IP."

    def add_arguments(self, parser):
        parser.add_argument("ip", help="Địa chỉ IP.")
        parser.add_argument("username", help="Tên đăng nhập.")

    def handle(self, *args, ip: str, username: str, **options):
        self.report(self.reset(ip=ip, username=username))
