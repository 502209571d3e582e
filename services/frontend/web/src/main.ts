// Entry point: the app shell (top bar + page outlet) and the route table.

import './styles/base.css';
import './styles/forms.css';
import './styles/dashboard.css';
import './styles/trace.css';
import './styles/infra.css';
import './styles/networks.css';
import './styles/timeline.css';
import './styles/responsive.css';
import { h } from './dom';
import { topbar } from './components/topbar';
import { startRouter, type Route } from './router';
import { session } from './session';
import { checkEmailPage } from './pages/check_email';
import { homePage } from './pages/home';
import { infraPage } from './pages/infra';
import { loginPage } from './pages/login';
import { signupPage } from './pages/signup';
import { tracePage } from './pages/trace';
import { verifyPage } from './pages/verify';

const routes: Route[] = [
  { path: '/', access: 'verified', page: homePage },
  { path: '/traces/:id', access: 'verified', page: tracePage },
  { path: '/infra', access: 'verified', page: infraPage },
  { path: '/signup', access: 'guest', page: signupPage },
  { path: '/login', access: 'guest', page: loginPage },
  { path: '/check-email', access: 'public', page: checkEmailPage },
  { path: '/verify', access: 'public', page: verifyPage },
];

const app = document.getElementById('app');
if (app) {
  const main = h('main', { class: 'main', id: 'main' });
  app.replaceChildren(topbar(), main);
  // Public pages render at once; the top bar fills in when /api/me answers.
  session.load().catch(() => undefined);
  startRouter(main, routes);
}
