"""Space materials (T-4..T-6): what a video link points at, and how an embed is made.

Only YouTube and Vimeo links are accepted; the app itself makes the embed address, on the
privacy-enhanced host (youtube-nocookie.com, Vimeo with dnt=1), and pages load it only after
a click (static/js/app.js), so no third party sees a visitor who did not ask to play.
"""
import re
from urllib.parse import parse_qs, urlsplit

from models import Material, MaterialKind

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


def parse_video_url(url):
    """(provider, id) for a YouTube or Vimeo address, else None."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if host.startswith("m."):
        host = host[2:]
    path = [p for p in parts.path.split("/") if p]
    video_id = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            video_id = path[1]
        if video_id and _YOUTUBE_ID.match(video_id):
            return ("youtube", video_id)
    elif host == "youtu.be" and path:
        if _YOUTUBE_ID.match(path[0]):
            return ("youtube", path[0])
    elif host in ("vimeo.com", "player.vimeo.com"):
        numbers = [p for p in path if _VIMEO_ID.match(p)]
        if numbers:
            return ("vimeo", numbers[0])
    return None


def embed_src(material):
    """The iframe address of a linked video, on the privacy-enhanced host; None otherwise."""
    if material.embed_provider == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{material.embed_id}?autoplay=1"
    if material.embed_provider == "vimeo":
        return f"https://player.vimeo.com/video/{material.embed_id}?dnt=1&autoplay=1"
    return None


def watch_url(material):
    """The video's own page at its host (the link for readers without JavaScript)."""
    if material.embed_provider == "youtube":
        return f"https://www.youtube.com/watch?v={material.embed_id}"
    if material.embed_provider == "vimeo":
        return f"https://vimeo.com/{material.embed_id}"
    return None


PROVIDER_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo"}


def is_video(material):
    return material.kind == MaterialKind.VIDEO


__all__ = ["parse_video_url", "embed_src", "watch_url", "PROVIDER_NAMES", "Material"]
