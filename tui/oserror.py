"""Why a file could not be read or written, in Dutch (the system's own words are English)."""

from __future__ import annotations

import errno

REASONS = {
    errno.ENOENT: "bestand of map bestaat niet",
    errno.EACCES: "geen toestemming",
    errno.EPERM: "niet toegestaan",
    errno.EROFS: "alleen-lezen: hier kan niets worden geschreven",
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "je schijfruimte (quotum) is op",
    errno.EBUSY: "het bestand is in gebruik of vastgezet (bijvoorbeeld alleen-lezen gekoppeld)",
    errno.EISDIR: "dat is een map",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.EEXIST: "bestaat al",
    errno.EXDEV: "ligt op een ander bestandssysteem",
    errno.ENAMETOOLONG: "de naam is te lang",
    errno.EIO: "leesfout of schrijffout van de schijf",
    errno.ELOOP: "te veel verwijzingen (symbolische koppelingen) na elkaar",
    errno.EMFILE: "te veel bestanden tegelijk open",
    errno.ENFILE: "te veel bestanden tegelijk open",
    errno.ETXTBSY: "het bestand is in gebruik",
    errno.EADDRINUSE: "het adres of de poort is al in gebruik",
    errno.EADDRNOTAVAIL: "dat adres hoort niet bij deze computer",
}


def reason(exc: BaseException) -> str:
    """The Dutch for an OSError's cause; the system's text (with its code) where there is none."""
    code = getattr(exc, "errno", None)
    if code in REASONS:
        return REASONS[code]
    text = getattr(exc, "strerror", None) or str(exc)
    name = errno.errorcode.get(code, "") if isinstance(code, int) else ""
    return f"{text} ({name})" if name else text
