/** The bot as the orchestrator runs it: see @drift/test-support's bot contract. */
import { join } from 'node:path';
import { describeBotUnderOrchestrator } from '@drift/test-support';

describeBotUnderOrchestrator('hedge-bot', join(import.meta.dirname, '..'));
