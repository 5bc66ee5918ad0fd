from ._unlock import UnlockCommand


class Command(UnlockCommand):
    help = "Mở khóa đăng nhập cho mọi tài khoản từ các địa chỉ IP đã nêu."

    def add_arguments(self, parser):
        parser.add_argument("ip", nargs="+", help="Địa chỉ IP.")

    def handle(self, *args, ip: list[str], **options):
        self.report(sum(self.reset(ip=address) for address in ip))
