/** Copy text: the async clipboard API, else the selection-based fallback (non-secure origins). */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('The browser refused to copy; select the text in the value pane and copy it by hand.');
}

/** Dynamic values pretty-printed for the value pane; anything else as it is. */
export function fullValueText(text: string, dynamic: boolean): string {
  if (!dynamic || text === '') return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
