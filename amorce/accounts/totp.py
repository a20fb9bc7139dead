from base64 import b32encode

import segno


def secret_of(device) -> str:
    """The base32 secret, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1b1b1b")
