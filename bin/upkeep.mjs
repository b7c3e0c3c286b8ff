#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, resolved relative to this file so that
// `npx upkeep` works from any directory.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
