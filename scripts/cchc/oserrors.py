"""File-system errors in words a contributor or an operator reads: Vietnamese, naming
the file, never the operating system's English text."""

import errno

_WORDS = {
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép thực hiện",
    errno.EEXIST: "đã có tệp hoặc thư mục cùng tên",
    errno.ENOTDIR: "không phải thư mục",
    errno.EISDIR: "là thư mục, không phải tệp",
    errno.ENOTEMPTY: "thư mục không trống",
    errno.ENOSPC: "ổ đĩa hết chỗ trống",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.EXDEV: "không chuyển được sang ổ đĩa khác",
    errno.ELOOP: "vòng lặp liên kết tượng trưng (symlink)",
    errno.ENAMETOOLONG: "tên tệp quá dài",
    errno.EIO: "lỗi đọc ghi ổ đĩa",
    errno.EDQUOT: "vượt hạn mức dung lượng",
}


def describe(exc: OSError) -> str:
    """"<file>: <what went wrong>" for an OSError; our own messages pass unchanged."""
    if exc.errno is None:
        return str(exc)
    what = _WORDS.get(exc.errno, f"lỗi hệ thống tệp (mã {errno.errorcode.get(exc.errno, exc.errno)})")
    names = [n for n in (exc.filename, exc.filename2) if n is not None]
    return f"{' → '.join(map(str, names))}: {what}" if names else what
