import { Injectable } from '@nestjs/common';
import { JobPayloads } from '@jiaxiao/common';
import { ClassRepository, StudentRepository, UserRepository } from '@jiaxiao/directory';
import { NewNotification } from './notifications.repository';
import { NotificationsService } from './notifications.service';

/**
 * A guardian withdrew consent to the privacy notice: the class teachers of their children and
 * the schools' coordinators are told, once per withdrawal (the key makes a retried job add nothing).
 */
@Injectable()
export class ConsentWithdrawnNotifier {
  constructor(
    private readonly userRepository: UserRepository,
    private readonly studentRepository: StudentRepository,
    private readonly classRepository: ClassRepository,
    private readonly notifications: NotificationsService,
  ) {}

  async notify(job: JobPayloads['consent.withdrawn']): Promise<void> {
    const [user, children] = await Promise.all([this.userRepository.userById(job.userId), this.studentRepository.childrenOf(job.userId)]);
    if (!user) return;
    const rows = new Map<string, NewNotification>();
    for (const child of children) {
      const [teachers, coordinators] = await Promise.all([
        this.classRepository.teachersOfClass(child.classId),
        this.classRepository.coordinatorsOfSchool(child.schoolId),
      ]);
      for (const staff of [...teachers, ...coordinators]) {
        if (rows.has(staff.userId)) continue;
        rows.set(staff.userId, {
          userId: staff.userId,
          kind: 'consent.withdrawn',
          title: '家长撤回了隐私政策同意',
          body: `${child.schoolName} ${child.className} ${child.studentName} 的${child.relation} ${user.name} 撤回了对《隐私政策》的同意，平台已停止向其展示孩子的信息。如需继续家校沟通，请与家长线下联系。`,
          data: { userId: user.id, studentId: child.studentId, classId: child.classId },
          dedupeKey: `consent.withdrawn:${user.id}:${job.at}`.slice(0, 80),
          deliverAt: new Date(),
        });
      }
    }
    await this.notifications.dispatch(await this.notifications.create([...rows.values()]));
  }
}
