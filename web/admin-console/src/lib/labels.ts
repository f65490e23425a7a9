export const SERIES: Record<string, string> = {
  parents_forum: '父母大讲堂',
  rural_tour: '家庭教育农村行',
  school_course: '学校课程',
  chair_training: '家委会主任培训',
};
export const MODE: Record<string, string> = { offline: '线下', live: '直播', replay: '回放', hybrid: '线上线下' };
export const LECTURE_STATUS: Record<string, string> = { draft: '草稿', published: '已发布', cancelled: '已取消', finished: '已结束' };
export const JOB_STATUS: Record<string, string> = { queued: '排队中', running: '处理中', succeeded: '已完成', failed: '失败' };
export const APPLICATION_STATUS: Record<string, string> = {
  submitted: '待区县初审',
  returned: '退回修改',
  district_passed: '初审通过',
  designated: '已认定',
  revoked: '已撤销',
};
export const REGISTRATION_STATUS: Record<string, string> = { registered: '已报名', waitlisted: '候补', cancelled: '已取消' };

export const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`;

/** Saves a Blob as a file through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The file name of a Content-Disposition header (RFC 5987 filename* first). */
export function fileNameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  return star ? decodeURIComponent(star[1]) : fallback;
}

/** An ISO time as the wall clock in Beijing, `YYYY-MM-DDTHH:mm:ss`, for the date pickers. */
export function toShanghaiInput(iso: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Shanghai',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** A picker's Beijing wall clock back to an ISO instant (whatever the browser's own zone). */
export const fromShanghaiInput = (value: string) => new Date(`${value}+08:00`).toISOString();

/** YYYY-MM-DD of an instant in Beijing. */
export const shanghaiDay = (iso: string) => toShanghaiInput(iso).slice(0, 10);
