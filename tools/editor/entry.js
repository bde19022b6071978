/* Entry point of the vendored editor bundle (built by tools/build-editor.sh).
   Exposes window.OTEditor = { Squire, DOMPurify }; our own glue script (static/js/)
   builds the toolbar, syncs HTML into the <textarea> and filters pastes.
   Squire's default sanitizeToDOMFragment looks for a global DOMPurify, so set it. */
import DOMPurify from 'dompurify';
import Squire from 'squire-rte';

window.DOMPurify = DOMPurify;
window.OTEditor = { Squire: Squire, DOMPurify: DOMPurify };
