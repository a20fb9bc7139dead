"""The funders' logos of a site (the cover of its reports): checked, kept, removed.

Only PNG and JPEG, read by Pillow to the last byte: an SVG may carry scripts and another
format, or a file that only says it is an image, is refused with a French message."""

import base64
from io import BytesIO

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from amorce.agreements.models import FunderLogo

MAX_BYTES = 512 * 1024
MAX_SIDE = 4000  # pixels: a logo, not a photograph to decompress in memory
MAX_LOGOS = 8
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}


def read_image(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of a PNG or JPEG, else a ValidationError on `image`."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"image": "Le logo dépasse 512 Ko : enregistrez-le plus petit."})
    try:
        with Image.open(BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in CONTENT_TYPES:
                raise ValidationError({"image": "Le logo doit être une image PNG ou JPEG."})
            if max(width, height) > MAX_SIDE:
                raise ValidationError(
                    {"image": f"Le logo dépasse {MAX_SIDE} pixels de côté : réduisez-le."}
                )
            image.verify()  # PNG: every chunk's checksum, up to the end marker
        with Image.open(BytesIO(data)) as image:
            image.load()  # decodes every byte
        # WeasyPrint lets Pillow accept truncated images process-wide (LOAD_TRUNCATED_IMAGES):
        # a JPEG must still end with its end-of-image marker.
        if kind == "JPEG" and b"\xff\xd9" not in data[-16:]:
            raise OSError("truncated JPEG")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        unreadable = "Ce fichier n'est pas une image PNG ou JPEG lisible."
        raise ValidationError({"image": unreadable}) from error
    return CONTENT_TYPES[kind], width, height


def add_logo(site, funder: str, data: bytes) -> FunderLogo:
    if site.funder_logos.count() >= MAX_LOGOS:
        raise ValidationError(
            {"image": f"Le site a déjà {MAX_LOGOS} logos : retirez-en un d'abord."}
        )
    content_type, width, height = read_image(data)
    return FunderLogo.objects.create(
        site=site,
        funder=funder.strip(),
        content_type=content_type,
        image=data,
        width=width,
        height=height,
    )


def remove_logo(logo: FunderLogo) -> None:
    logo.delete()


def data_uri(logo: FunderLogo) -> str:
    """The logo inside the PDF's HTML, with no file or address to fetch."""
    return f"data:{logo.content_type};base64,{base64.b64encode(bytes(logo.image)).decode()}"


def cover_logos(sites) -> list[dict]:
    """The logos of the sites of a report, each funder once, for its cover."""
    seen, logos = set(), []
    for logo in FunderLogo.objects.filter(site__in=sites).order_by("funder", "pk"):
        if logo.funder.casefold() not in seen:
            seen.add(logo.funder.casefold())
            logos.append({"funder": logo.funder, "src": data_uri(logo)})
    return logos
