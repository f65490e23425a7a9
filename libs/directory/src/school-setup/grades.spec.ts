import { gradeOfClassName, promotedName } from './grades';

describe('class names and grades', () => {
  it('reads the grade from the start of a class name', () => {
    expect(gradeOfClassName('初一(1)班')).toBe(7);
    expect(gradeOfClassName('七年级3班')).toBe(7);
    expect(gradeOfClassName('三年级2班')).toBe(3);
    expect(gradeOfClassName('十一年级1班')).toBe(11);
    expect(gradeOfClassName('高二(5)班')).toBe(11);
    expect(gradeOfClassName('实验班')).toBeUndefined();
  });

  it('writes the next grade in the same style', () => {
    expect(promotedName('初一(1)班', 7)).toBe('初二(1)班');
    expect(promotedName('七年级3班', 7)).toBe('八年级3班');
    expect(promotedName('六年级1班', 6)).toBe('七年级1班');
    expect(promotedName('高二(5)班', 11)).toBe('高三(5)班');
    expect(promotedName('实验班', 7)).toBe('实验班');
  });
});
