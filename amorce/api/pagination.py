from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Pages by an opaque cursor: `next` and `previous` are ready-made links."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "taille"
    cursor_query_param = "curseur"
    ordering = ("-pk",)
    invalid_cursor_message = "Curseur de pagination invalide."
