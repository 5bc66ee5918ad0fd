from ._unlock import UnlockCommand


class Command(UnlockCommand):
    help = "Mở khóa đăng nhập cho mọi tài khoản, mọi địa chỉ (xoá mọi lần đăng nhập sai đã ghi)."

    def handle(self, *args, **options):
        self.report(self.reset())
