"""Word lists and character classes shared by the extraction stages.

General knowledge of the genre only: Vietnamese letters, family names,
positions, ranks, administrative levels, province names. Nothing here
may name a person, an article or a document of any particular text.
"""

from __future__ import annotations

import re

LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
LETTER = LOWER + UPPER


def expand_class(body: str) -> str:
    """The characters of a character-class body such as ``LOWER`` ("a-z…"),
    ranges written out, for ``str`` operations that agree with the class."""
    out: list[str] = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(body[i]), ord(body[i + 2]) + 1))
            i += 3
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


# A capitalised syllable ("Nguyễn") and a lower-case one ("tỉnh").
CAP_WORD = f"[{UPPER}][{LOWER}]*"
LOW_WORD = f"[{LOWER}]+"

# Family names (họ). A person's name starts with one of these; that is what
# tells "Bí thư Tỉnh ủy Lê Đình Sơn" apart from "Bí thư Tỉnh ủy Hà Tĩnh".
SURNAMES = frozenset(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Thái Lữ Lã Đinh Lương Tô
    Trương Hà Đào Cao Lâm Mai Trịnh Đoàn Chu Quách Tạ Kiều Lại La Vương Tống Hứa Châu Thân Đàm Phùng Khổng
    Triệu Tăng Nông Lò Lục Mạc Âu Ông Giang Doãn Tôn Từ Khúc Ninh Lưu Bạch Biện Cù Diệp Hầu Lạc Mã
    Nghiêm Phí Phương Sầm Thạch Thiều Tiêu Trình Ứng Vi Cấn Đậu Điểu Giáp Hàn Hình
    Khuất Khương Lăng Lều Lưởng Mẫn Nhữ Ôn Tưởng Uông Vòng Bế Hoàng Chế Chúc Cung
    Đới Khúc Kha Lê Lò Luyện Mầu Mông Nhan Phù Quàng Sùng Thào Tòng Vàng Vừ Giàng Lầu Hờ
    Ksor Siu Rah""".split()
)

# Military and police ranks: a title of their own ("Trung tá").
RANKS = [
    "Đại tướng",
    "Thượng tướng",
    "Trung tướng",
    "Thiếu tướng",
    "Đại tá",
    "Thượng tá",
    "Trung tá",
    "Thiếu tá",
    "Đại úy",
    "Thượng úy",
    "Trung úy",
    "Thiếu úy",
    "Chuẩn úy",
    # An honour the state confers, written before the name like a rank.
    "Mẹ Việt Nam Anh hùng",
    "mẹ Việt Nam Anh hùng",
]

# Heads of positions. A title is a head, optionally followed by the body it
# belongs to ("Bí thư" + "Tỉnh ủy"). Longest first so that "Phó Bí thư"
# wins over "Bí thư". Matched case-insensitively on the first letter only.
TITLE_HEADS = sorted(
    {
        "Tổng Bí thư",
        "Bí thư",
        "Phó Bí thư",
        "Phó Bí thư Thường trực",
        "Thường trực Ban Bí thư",
        "Chủ tịch",
        "Phó Chủ tịch",
        "Phó Chủ tịch Thường trực",
        "Chủ tịch nước",
        "Phó Chủ tịch nước",
        "Thủ tướng",
        "Phó Thủ tướng",
        "Thủ tướng Chính phủ",
        "Phó Thủ tướng Chính phủ",
        "Ủy viên",
        "Ủy viên dự khuyết",
        "Ủy viên Thường trực",
        "Ủy viên Bộ Chính trị",
        "Trưởng ban",
        "Phó Trưởng ban",
        "Phó trưởng ban",
        "Trưởng Ban",
        "Phó Trưởng Ban",
        "Phó Trưởng ban Thường trực",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        "Chánh văn phòng",
        "Phó Chánh văn phòng",
        "Chánh án",
        "Phó Chánh án",
        "Chánh Thanh tra",
        "Phó Chánh Thanh tra",
        "Viện trưởng",
        "Phó Viện trưởng",
        "Giám đốc",
        "Phó Giám đốc",
        "Tổng Giám đốc",
        "Phó Tổng Giám đốc",
        "Bộ trưởng",
        "Thứ trưởng",
        "Chủ nhiệm",
        "Phó Chủ nhiệm",
        "Tổng Thư ký",
        "Trưởng đoàn",
        "Phó Trưởng đoàn",
        "Trưởng Đoàn",
        "Phó Trưởng Đoàn",
        "Tổng giám đốc",
        "Phó Tổng giám đốc",
        "Phó giám đốc",
        "Tổng Tham mưu trưởng",
        "Tổng tham mưu trưởng",
        "Phó Tổng Tham mưu trưởng",
        "Phó Ban",
        "Đại biểu Quốc hội",
        "Trưởng phòng",
        "Phó Trưởng phòng",
        "Chỉ huy trưởng",
        "Phó Chỉ huy trưởng",
        "Chính ủy",
        "Phó Chính ủy",
        "Chính trị viên",
        "Chính trị viên phó",
        "Tư lệnh",
        "Phó Tư lệnh",
        "Hiệu trưởng",
        "Phó Hiệu trưởng",
        "Tổng Biên tập",
        "Tổng biên tập",
        "Phó Tổng Biên tập",
        "Phó Tổng biên tập",
        "Trưởng thôn",
        "Trưởng xóm",
        "Trưởng bản",
        "Tổ trưởng",
        "Thư ký",
        "Trưởng Công an",
        "Phó Trưởng Công an",
        "Thủ trưởng",
        "Phó Thủ trưởng",
        "Cục trưởng",
        "Phó Cục trưởng",
        "Vụ trưởng",
        "Phó Vụ trưởng",
        "Kiểm sát viên",
        "Thẩm phán",
        "Đại sứ",
        "Tổng Lãnh sự",
        "Tổng cục trưởng",
        "Người phát ngôn",
        "Trưởng khu phố",
        "Trưởng Ban Chỉ đạo",
        "Phó Trưởng Ban Chỉ đạo",
        "Tỉnh ủy viên",
        "Thành ủy viên",
        "Huyện ủy viên",
        "Đảng ủy viên",
    },
    key=len,
    reverse=True,
)

# Lower-case words that may continue the name of a body inside a title
# ("Chủ tịch Ủy ban nhân dân tỉnh", "Bí thư Đảng ủy Khối các cơ quan tỉnh").
# Anything else in lower case ends the title: it is the verb that follows.
TITLE_LOWER_WORDS = frozenset(
    """tỉnh huyện xã phường quận thị trấn thành phố thôn xóm bản khu đặc tổ dân nhân ủy ban đảng bộ
    hội đồng mặt trận quốc các cơ quan doanh nghiệp khối quân sự công an chỉ huy thường trực vụ chấp hành
    trung ương kiểm tra chức tuyên giáo vận nội chính trị văn phòng liên đoàn lao động phụ nữ nông
    cựu chiến binh thanh niên cộng sản chuyên trách dự khuyết khóa nhiệm kỳ sở phòng cấp cơ sở và
    việt nam hồ chí minh tổng hợp kinh tế xã hội gia""".split()
)
# "và" and "các" only continue a title in a few fixed phrases.
TITLE_LOWER_PHRASES = (
    "đại biểu quốc hội",
    "đại biểu",
    "chi bộ",
    "chi đoàn",
    "thứ nhất",
    "thành viên",
    "quốc gia",
    "quốc hội",
    "ban chấp hành",
    "ban thường vụ",
    "hội đồng nhân dân",
    "ủy ban nhân dân",
    "các cơ quan",
    "tuyên giáo và dân vận",
    "mặt trận tổ quốc",
    "kinh tế - xã hội",
    "các chương trình mục tiêu quốc gia",
    # Steering committees named after their field, with commas inside the
    # name (since 2025: "Ban Chỉ đạo Trung ương / tỉnh về phát triển khoa
    # học, công nghệ, đổi mới sáng tạo và chuyển đổi số"; "Ban Chỉ đạo
    # phòng, chống tham nhũng, lãng phí, tiêu cực tỉnh"). A comma ends a
    # title everywhere else.
    "về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "về phòng, chống tham nhũng, lãng phí, tiêu cực",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "phòng, chống tham nhũng, tiêu cực",
    "về phòng, chống tham nhũng",
    "phòng, chống tham nhũng",
)
# Lower-case words that end a title even though they are in the list above:
# they start the verb phrase after it ("đồng chủ trì", "dự").
TITLE_STOP_WORDS = frozenset({"đồng", "dự", "cùng", "trao", "chủ", "phát", "cho", "đã", "đang", "sẽ", "được"})

ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "mttq": "mặt trận tổ quốc",
    "ubmttq": "ủy ban mặt trận tổ quốc",
    "bch": "ban chấp hành",
    "btv": "ban thường vụ",
    "tw": "trung ương",
    "tư": "trung ương",
    "tp.": "thành phố",
    "tp": "thành phố",
    "chqs": "chỉ huy quân sự",
    "đbqh": "đại biểu quốc hội",
}

# Administrative levels, written before a place's name.
ADMIN_LEVELS = (
    "thành phố",
    "thị xã",
    "thị trấn",
    "đặc khu",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
    "phường",
    "thôn",
    "xóm",
    "bản",
    "khu phố",
    "tổ dân phố",
    "ấp",
)

# Province names come from the unit data: see ``places.province_names()``.

ROMAN = r"(?:[IVXLC]+)"


def first_chars(words) -> str:
    """A lookahead on the first letters of ``words``: it lets the regex
    engine skip ahead fast to where a match can start."""
    chars = sorted({w[0] for w in words})
    return "(?=[" + "".join(re.escape(c) for c in chars) + "])"


def expand_abbreviations(text: str) -> str:
    """Lower-case ``text`` with the usual abbreviations written out."""
    words = text.lower().replace(",", " ").split()
    return " ".join(map(ABBREVIATIONS.get, words, words))


# Names of bodies capitalise only the first syllable of each word ("Ban
# Tuyên giáo", "Sở Nông nghiệp và Môi trường"); these words keep their
# lower-case syllables inside a title. "Chính sách, chiến lược" is one
# word here: the comma is inside the name "Ban Chính sách, chiến lược
# Trung ương" (since 2025).
BODY_WORDS = """Tuyên giáo|Tuyên truyền|Dân vận|Nông nghiệp|Môi trường|Chỉ huy|Quân sự|Nội chính|Kiểm tra|Tổ chức|
Văn phòng|Nội vụ|Tài chính|Kế hoạch|Đầu tư|Xây dựng|Giao thông|Vận tải|Công thương|Y tế|Giáo dục|Đào tạo|Văn hóa|
Thể thao|Du lịch|Khoa học|Công nghệ|Tư pháp|Ngoại vụ|Lao động|Thương binh|Xã hội|Tài nguyên|Thông tin|Truyền thông|
Dân tộc|Thanh tra|Phát triển|Nông thôn|Công an|Bộ đội|Biên phòng|Hội đồng|Nhân dân|Mặt trận|Tổ quốc|Chính trị|
Chấp hành|Thường vụ|Thường trực|Trung ương|Chính phủ|Quốc hội|Cựu chiến binh|Phụ nữ|Nông dân|Thanh niên|
Liên đoàn|Liên hiệp|Doanh nghiệp|Cơ quan|Kinh tế|Ngân hàng|Kho bạc|Hải quan|Bảo hiểm|Chỉ đạo|Quản lý|Dự án|Tòa án|
Chính sách, chiến lược|Chính sách|Chuyển đổi số|Kiểm sát|Thi hành án|Điện lực|Đại học|Cao đẳng|Bệnh viện|Trung tâm|Chữ thập đỏ|Khuyến học|Người cao tuổi|
Phát thanh|Truyền hình|Hợp tác xã|Liên minh|Đặc khu|Quân khu|Tư lệnh|Cảnh sát|An ninh|Đối ngoại|Ủy ban|Đoàn thể|
Đảng ủy|Đảng đoàn|Ban cán sự|Lãnh đạo|Thi đua|Khen thưởng|Công đoàn|Hội nông dân|Cộng sản|Hồ Chí Minh|
Đại biểu|Tập đoàn|Dầu khí|Tổng cục|Pháp chế|Tham mưu|Công ty""".replace("\n", "").split("|")
