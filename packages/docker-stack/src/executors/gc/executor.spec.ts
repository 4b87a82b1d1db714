import { logger, type ExecutorContext } from '@nx/devkit';
import gcExecutor from './executor';

describe('gcExecutor', () => {
  it.each([-1, Number.NaN])('refuses --keep-days=%s before reading anything', async (keepDays) => {
    const errors: string[] = [];
    jest.spyOn(logger, 'error').mockImplementation((message: string) => void errors.push(message));
    const context = { root: '/nonexistent' } as ExecutorContext;
    expect(await gcExecutor({ stackDir: 'images', keepDays }, context)).toEqual({ success: false });
    expect(errors).toEqual([`stack:gc failed: --keep-days must be a number of days, 0 or more, not "${keepDays}"`]);
  });
});
