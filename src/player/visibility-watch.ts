/**
 * Whether a player's canvas can be seen: it intersects the viewport (IntersectionObserver; also
 * false for `display: none` and for a canvas not in the document) and the page is shown
 * (`document.visibilityState`). The Player holds its core while it cannot (no frames, the clock
 * held), as model-viewer stops rendering off-screen elements and browsers stop rAF in hidden tabs.
 */

/**
 * Calls `onChange(visible)` whenever `element`'s visibility changes (never with the value it had
 * last); it counts as visible until the observer's first report, so drawing starts at once.
 * Returns a function that stops watching. Where there is no IntersectionObserver or document
 * (workers, Node) it never calls.
 */
export function watchVisibility(element: Element, onChange: (visible: boolean) => void): () => void {
  if (typeof IntersectionObserver === 'undefined' || typeof document === 'undefined') return () => undefined;
  let intersecting = true;
  let last = true;
  const update = () => {
    const visible = intersecting && document.visibilityState !== 'hidden';
    if (visible === last) return;
    last = visible;
    onChange(visible);
  };
  const observer = new IntersectionObserver((entries) => {
    intersecting = entries[entries.length - 1].isIntersecting; // the latest report counts
    update();
  });
  observer.observe(element);
  document.addEventListener('visibilitychange', update);
  update(); // a page already hidden
  return () => {
    observer.disconnect();
    document.removeEventListener('visibilitychange', update);
  };
}
