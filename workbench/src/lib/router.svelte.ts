/** History-API routing: the current location as state; links and code navigate without reloads. */
class Location {
  pathname = $state(window.location.pathname);
  search = $state(window.location.search);

  constructor() {
    window.addEventListener('popstate', () => this.sync());
  }

  sync(): void {
    this.pathname = window.location.pathname;
    this.search = window.location.search;
  }

  navigate(url: string, replace = false): void {
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    this.sync();
  }
}

export const location = new Location();

/** A click handler for in-app links: plain left clicks navigate in place, others behave as links. */
export function link(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  event.preventDefault();
  location.navigate(anchor.pathname + anchor.search);
}
