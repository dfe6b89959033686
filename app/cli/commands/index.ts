import type { Command } from '../command';
import { orgs } from './orgs';
import { setup } from './setup';

/** Every CLI command. Add new ones here. */
export const commands: Command[] = [setup, orgs];
