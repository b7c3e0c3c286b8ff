/** The embed entry: a tile alone, without the workbench's shell or sign-in. */
import { mount } from 'svelte';
import EmbedTile from './EmbedTile.svelte';

export function mountEmbed(target: HTMLElement): void {
  mount(EmbedTile, { target });
}
