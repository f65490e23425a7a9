import { createRouter, createWebHistory } from 'vue-router';
import { api, onSignedOut } from './lib/api';
import { consentNeeded, forgetConsent } from './lib/consent';

/** Screens load lazily: the entry chunk holds only the shell and sign-in. */
export const router = createRouter({
  history: createWebHistory('/h5/'),
  routes: [
    { path: '/', redirect: '/messages' },
    { path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
    { path: '/password/reset', component: () => import('./views/PasswordResetView.vue'), meta: { public: true, title: '找回密码' } },
    { path: '/wechat', component: () => import('./views/WechatCallbackView.vue'), meta: { public: true, title: '微信登录' } },
    { path: '/consent', component: () => import('./views/ConsentView.vue'), meta: { title: '个人信息保护告知' } },
    { path: '/password', component: () => import('./views/PasswordView.vue'), meta: { title: '修改密码' } },
    { path: '/messages', component: () => import('./views/MessagesView.vue'), meta: { tab: true, title: '消息' } },
    { path: '/chat/:id', component: () => import('./views/ChatView.vue'), meta: { title: '聊天' } },
    { path: '/school-notices', component: () => import('./views/SchoolNoticesView.vue'), meta: { title: '校务公开' } },
    { path: '/school-notices/:id', component: () => import('./views/SchoolNoticeView.vue'), meta: { title: '学校通知' } },
    { path: '/notifications', component: () => import('./views/NotificationsView.vue'), meta: { title: '通知' } },
    { path: '/courses', component: () => import('./views/CoursesView.vue'), meta: { tab: true, title: '课程' } },
    { path: '/hours', component: () => import('./views/HoursView.vue'), meta: { title: '我的学时' } },
    { path: '/check-in', component: () => import('./views/CheckInView.vue'), meta: { title: '扫码签到' } },
    { path: '/lectures/:id', component: () => import('./views/LectureView.vue'), meta: { title: '讲座详情' } },
    { path: '/lectures/:id/check-in', component: () => import('./views/CheckInView.vue'), meta: { title: '现场签到' } },
    { path: '/lectures/:id/live', component: () => import('./views/LiveView.vue'), meta: { title: '在线课程' } },
    { path: '/public', component: () => import('./views/PublicView.vue'), meta: { public: true, title: '潍坊家庭教育公共服务平台' } },
    { path: '/public/articles/:id', component: () => import('./views/ArticleView.vue'), meta: { public: true, title: '家教文库' } },
    { path: '/model-school-reviews', component: () => import('./views/ModelSchoolReviewsView.vue'), meta: { title: '示范学校评审' } },
    { path: '/model-schools', component: () => import('./views/ModelSchoolsView.vue'), meta: { public: true, title: '示范学校' } },
    { path: '/committees', component: () => import('./views/CommitteesView.vue'), meta: { tab: true, title: '家委会' } },
    { path: '/committees/:id', component: () => import('./views/CommitteeView.vue'), meta: { title: '家委会' } },
    { path: '/activities', component: () => import('./views/ActivitiesView.vue'), meta: { tab: true, title: '活动' } },
    { path: '/counselling', component: () => import('./views/CounsellingView.vue'), meta: { title: '心理辅导' } },
    { path: '/campaigns/:id', component: () => import('./views/CampaignView.vue'), meta: { title: '征集活动' } },
    { path: '/me', component: () => import('./views/MeView.vue'), meta: { tab: true, title: '我的' } },
    { path: '/mailbox', component: () => import('./views/MailboxView.vue'), meta: { title: '校长信箱' } },
    { path: '/mailbox/new', component: () => import('./views/MailboxWriteView.vue'), meta: { title: '写信给校长' } },
    { path: '/mailbox/:id', component: () => import('./views/MailboxItemView.vue'), meta: { title: '校长信箱' } },
    { path: '/settings', component: () => import('./views/SettingsView.vue'), meta: { title: '设置' } },
    { path: '/consent/withdraw', component: () => import('./views/ConsentWithdrawView.vue'), meta: { title: '撤回个人信息授权' } },
    { path: '/wechat/bind', component: () => import('./views/WechatBindView.vue'), meta: { title: '绑定微信' } },
    { path: '/:pathMatch(.*)*', component: () => import('./views/NotFoundView.vue'), meta: { public: true, title: '页面不存在' } },
  ],
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!api.session) return { path: '/login', query: to.fullPath !== '/messages' ? { next: to.fullPath } : {} };
  // Staff appointed with a one-time password set their own first (every other route answers 403).
  if (api.session.user.passwordChangeRequired && to.path !== '/password') return { path: '/password' };
  // A guardian who has not accepted the current personal-information notice sees it first.
  if (to.path !== '/consent' && (await consentNeeded().catch(() => null))) return { path: '/consent', query: { next: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${String(to.meta.title)} · 家校共育` : '家校共育';
});

onSignedOut(() => {
  forgetConsent();
  void router.replace('/login');
});
