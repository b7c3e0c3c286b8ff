import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app')!;
// /embed/…: one tile for an iframe, without the shell or sign-in (src/embed/).
if (window.location.pathname.startsWith('/embed/')) void import('./embed/mount.js').then(({ mountEmbed }) => mountEmbed(target));
else mount(App, { target });
