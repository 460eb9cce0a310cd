/**
 * Route map. Everything except sign-in and setup needs a session; each area
 * also needs its permission (the server enforces the same rules).
 */
import type { ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import type { Permission } from './api/types';
import { RequireAuth } from './auth/RequireAuth';
import { RequirePermission } from './auth/RequirePermission';
import { SetupPage } from './auth/SetupPage';
import { SignInPage } from './auth/SignInPage';
import { AppLayout } from './components/AppLayout';
import { NotFoundState } from './components/States';
import { AuditLogPage } from './pages/admin/audit/AuditLogPage';
import { TokensPage } from './pages/admin/tokens/TokensPage';
import { UserDetailPage } from './pages/admin/users/UserDetailPage';
import { UsersPage } from './pages/admin/users/UsersPage';
import { DecisionDetailPage } from './pages/decisions/DecisionDetailPage';
import { DecisionsPage } from './pages/decisions/DecisionsPage';
import { HomePage } from './pages/home/HomePage';
import { PeoplePage } from './pages/org/people/PeoplePage';
import { PersonDetailPage } from './pages/org/people/PersonDetailPage';
import { SiteDetailPage } from './pages/org/sites/SiteDetailPage';
import { SitesPage } from './pages/org/sites/SitesPage';
import { TeamDetailPage } from './pages/org/teams/TeamDetailPage';
import { TeamsPage } from './pages/org/teams/TeamsPage';
import { VendorDetailPage } from './pages/org/vendors/VendorDetailPage';
import { VendorsPage } from './pages/org/vendors/VendorsPage';
import { ActionsPage } from './pages/policy/actions/ActionsPage';
import { NewPolicyVersionPage } from './pages/policy/policies/NewPolicyVersionPage';
import { PoliciesPage } from './pages/policy/policies/PoliciesPage';
import { PolicyDetailPage } from './pages/policy/policies/PolicyDetailPage';
import { WorkflowDetailPage } from './pages/policy/workflows/WorkflowDetailPage';
import { WorkflowsPage } from './pages/policy/workflows/WorkflowsPage';
import { MyQaTasksPage } from './pages/qa/MyQaTasksPage';
import { QaQueuePage } from './pages/qa/QaQueuePage';
import { ReviewWorkspacePage } from './pages/review/ReviewWorkspacePage';
import { MyReviewsPage } from './pages/reviews/MyReviewsPage';
import { ReviewDetailPage } from './pages/reviews/ReviewDetailPage';
import { DisputesPage } from './pages/disputes/DisputesPage';
import { DisputeResolvePage } from './pages/disputes/DisputeResolvePage';
import { WellbeingPage } from './pages/wellbeing/WellbeingPage';
import { EscalationsPage } from './pages/escalations/EscalationsPage';
import { QualityAgentsPage } from './pages/quality/QualityAgentsPage';
import { QualityControlPage } from './pages/quality/QualityControlPage';
import { QualityErrorsPage } from './pages/quality/QualityErrorsPage';
import { QualityHeatmapPage } from './pages/quality/QualityHeatmapPage';
import { QualityOverviewPage } from './pages/quality/QualityOverviewPage';
import { QualityReviewsPage } from './pages/quality/QualityReviewsPage';
import { QualityTrendsPage } from './pages/quality/QualityTrendsPage';
import { PlanEditorPage } from './pages/sampling/PlanEditorPage';
import { PlanHistoryPage } from './pages/sampling/PlanHistoryPage';
import { SamplingPlansPage } from './pages/sampling/SamplingPlansPage';
import { ScorecardDetailPage } from './pages/scorecards/ScorecardDetailPage';
import { ScorecardsPage } from './pages/scorecards/ScorecardsPage';
// Auditing the auditors
import { DoubleReviewPage } from './pages/auditing/DoubleReviewPage';
import { GoldSetPage } from './pages/auditing/GoldSetPage';
import { ReviewerQualityPage } from './pages/auditing/ReviewerQualityPage';
// Calibration
import { CalibrationResultsPage } from './pages/calibration/CalibrationResultsPage';
import { CalibrationSessionPage } from './pages/calibration/CalibrationSessionPage';
import { CalibrationSessionsPage, MyCalibrationsPage } from './pages/calibration/CalibrationSessionsPage';
import { CalibrationTrendsPage } from './pages/calibration/CalibrationTrendsPage';
import { ImportRatingsPage } from './pages/calibration/ImportRatingsPage';
import { NewCalibrationPage } from './pages/calibration/NewCalibrationPage';
import { TakeCalibrationPage } from './pages/calibration/TakeCalibrationPage';
import { SetExpertAnswersPage } from './pages/calibration/SetExpertAnswersPage';
// xAPI Learning Record Store (issue 8)
import { XapiCredentialsPage } from './pages/admin/xapi/XapiCredentialsPage';
// Training: content, assessments, enrolment, certifications, My learning
import { CourseBuilderPage } from './pages/training/CourseBuilderPage';
import { MyCoursePage, MyLearningPage, TakeAssessmentPage } from './pages/training/MyLearningPages';
import { TrainingCoursesPage } from './pages/training/TrainingCoursesPage';
import {
  ItemAnalysisPage,
  TrainingAssignPage,
  TrainingCertificationsPage,
  TrainingCompletionPage,
  TrainingProgramsPage,
} from './pages/training/TrainingManagePages';
// Training operations: cohort schedules and attendance, nesting, coaching, trainers, surveys, overdue
import { CoachingDetailPage } from './pages/training/operations/CoachingDetailPage';
import { CoachingFormPage } from './pages/training/operations/CoachingFormPage';
import { CoachingPage, MyCoachingPage } from './pages/training/operations/CoachingPage';
import { OpsCohortPage } from './pages/training/operations/OpsCohortPage';
import { CohortsPage, OldCohortRedirect, OldCohortsRedirect } from './pages/training/operations/OpsCohortsPage';
import { OverduePage } from './pages/training/operations/OverduePage';
import { SessionAttendancePage } from './pages/training/operations/SessionAttendancePage';
import { MySurveysPage, SurveyResultsPage, TakeSurveyPage } from './pages/training/operations/SurveysPage';
import { SurveyFormPage } from './pages/training/operations/SurveyFormPage';
import { TrainerDetailPage, TrainersPage } from './pages/training/operations/TrainersPage';

function gated(permission: Permission, page: ReactNode) {
  return <RequirePermission permission={permission}>{page}</RequirePermission>;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route path="/setup" element={<SetupPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />

        <Route path="vendors" element={gated('org.read', <VendorsPage />)} />
        <Route path="vendors/:vendorId" element={gated('org.read', <VendorDetailPage />)} />
        <Route path="sites" element={gated('org.read', <SitesPage />)} />
        <Route path="sites/:siteId" element={gated('org.read', <SiteDetailPage />)} />
        <Route path="teams" element={gated('org.read', <TeamsPage />)} />
        <Route path="teams/:teamId" element={gated('org.read', <TeamDetailPage />)} />
        <Route path="people" element={gated('org.read', <PeoplePage />)} />
        <Route path="people/:personId" element={gated('org.read', <PersonDetailPage />)} />

        <Route path="workflows" element={gated('policy.read', <WorkflowsPage />)} />
        <Route path="workflows/:workflowId" element={gated('policy.read', <WorkflowDetailPage />)} />
        <Route path="policies" element={gated('policy.read', <PoliciesPage />)} />
        <Route path="policies/:policyId" element={gated('policy.read', <PolicyDetailPage />)} />
        <Route path="policies/:policyId/versions/new" element={gated('policy.write', <NewPolicyVersionPage />)} />
        <Route path="actions" element={gated('policy.read', <ActionsPage />)} />

        <Route path="decisions" element={gated('decisions.read', <DecisionsPage />)} />
        <Route path="decisions/:decisionId" element={gated('decisions.read', <DecisionDetailPage />)} />
        <Route path="sampling" element={gated('sampling.read', <SamplingPlansPage />)} />
        <Route path="sampling/:workflowId" element={gated('sampling.read', <PlanHistoryPage />)} />
        <Route path="sampling/:workflowId/draft" element={gated('sampling.write', <PlanEditorPage />)} />
        <Route path="scorecards" element={gated('scorecards.read', <ScorecardsPage />)} />
        <Route path="scorecards/:workflowId" element={gated('scorecards.read', <ScorecardDetailPage />)} />
        <Route path="qa/queue" element={gated('qa.queue', <QaQueuePage />)} />
        <Route path="qa/tasks" element={gated('qa.review', <MyQaTasksPage />)} />
        <Route path="qa/tasks/:taskId/review" element={gated('qa.review', <ReviewWorkspacePage />)} />
        <Route path="reviews" element={gated('reviews.read', <MyReviewsPage />)} />
        <Route path="reviews/:reviewId" element={gated('reviews.read', <ReviewDetailPage />)} />
        <Route path="disputes" element={gated('disputes.arbitrate', <DisputesPage />)} />
        <Route path="disputes/:disputeId" element={gated('reviews.read', <DisputeResolvePage />)} />
        <Route path="quality" element={gated('metrics.read', <QualityOverviewPage />)} />
        <Route path="quality/heatmap" element={gated('metrics.read', <QualityHeatmapPage />)} />
        <Route path="quality/trends" element={gated('metrics.read', <QualityTrendsPage />)} />
        <Route path="quality/control" element={gated('metrics.read', <QualityControlPage />)} />
        <Route path="quality/errors" element={gated('metrics.read', <QualityErrorsPage />)} />
        <Route path="quality/agents" element={gated('metrics.read', <QualityAgentsPage />)} />
        <Route path="quality/reviews" element={gated('metrics.read', <QualityReviewsPage />)} />
        <Route path="wellbeing" element={<WellbeingPage />} />
        <Route path="escalations" element={gated('escalations.answer', <EscalationsPage />)} />
        {/* Auditing the auditors */}
        <Route path="auditing/double-review" element={gated('auditing.read', <DoubleReviewPage />)} />
        <Route path="auditing/reviewers" element={gated('auditing.read', <ReviewerQualityPage />)} />
        <Route path="auditing/gold" element={gated('auditing.manage', <GoldSetPage />)} />
        {/* Calibration */}
        <Route path="calibration" element={gated('calibration.run', <CalibrationSessionsPage />)} />
        <Route path="calibration/mine" element={gated('calibration.take', <MyCalibrationsPage />)} />
        <Route path="calibration/new" element={gated('calibration.run', <NewCalibrationPage />)} />
        <Route path="calibration/import" element={gated('calibration.run', <ImportRatingsPage />)} />
        <Route path="calibration/trends" element={gated('calibration.run', <CalibrationTrendsPage />)} />
        <Route path="calibration/:sessionId" element={gated('calibration.run', <CalibrationSessionPage />)} />
        <Route path="calibration/:sessionId/take" element={gated('calibration.take', <TakeCalibrationPage />)} />
        {/* Calibration expert delegates (C5): the policy SME's expert answers */}
        <Route path="calibration/:sessionId/expert" element={gated('calibration.take', <SetExpertAnswersPage />)} />
        <Route path="calibration/:sessionId/results" element={gated('calibration.take', <CalibrationResultsPage />)} />

        <Route path="users" element={gated('users.manage', <UsersPage />)} />
        <Route path="users/:userId" element={gated('users.manage', <UserDetailPage />)} />
        <Route path="tokens" element={gated('tokens.own', <TokensPage />)} />
        <Route path="audit" element={gated('audit.read', <AuditLogPage />)} />
        {/* xAPI Learning Record Store (issue 8) */}
        <Route path="admin/xapi" element={gated('xapi.manage', <XapiCredentialsPage />)} />
        {/* Training */}
        <Route path="training/courses" element={gated('training.read', <TrainingCoursesPage />)} />
        <Route path="training/programs" element={gated('training.read', <TrainingProgramsPage />)} />
        <Route path="training/versions/:id" element={gated('training.read', <CourseBuilderPage />)} />
        <Route path="training/assessments/:id/analysis" element={gated('training.read', <ItemAnalysisPage />)} />
        <Route path="training/assign" element={gated('training.manage', <TrainingAssignPage />)} />
        <Route path="training/cohorts" element={gated('training.read', <CohortsPage />)} />
        <Route path="training/cohorts/:cohortId" element={gated('training.read', <OpsCohortPage />)} />
        <Route path="training/certifications" element={gated('training.read', <TrainingCertificationsPage />)} />
        <Route path="training/completion" element={gated('training.read', <TrainingCompletionPage />)} />
        <Route path="learning" element={gated('training.learn', <MyLearningPage />)} />
        <Route path="learning/:id" element={gated('training.learn', <MyCoursePage />)} />
        <Route path="learning/attempts/:id" element={gated('training.learn', <TakeAssessmentPage />)} />
        {/* Training operations */}
        <Route path="training/operations/cohorts" element={<OldCohortsRedirect />} />
        <Route path="training/operations/cohorts/:cohortId" element={<OldCohortRedirect />} />
        <Route path="training/operations/sessions/:sessionId" element={gated('training.read', <SessionAttendancePage />)} />
        <Route path="training/operations/coaching" element={gated('training.read', <CoachingPage />)} />
        <Route path="training/operations/coaching/new" element={gated('training.write', <CoachingFormPage />)} />
        <Route path="training/operations/coaching/mine" element={gated('training.learn', <MyCoachingPage />)} />
        <Route path="training/operations/coaching/:coachingId" element={gated('training.learn', <CoachingDetailPage />)} />
        <Route path="training/operations/trainers" element={gated('training.read', <TrainersPage />)} />
        <Route path="training/operations/trainers/:personId" element={gated('training.read', <TrainerDetailPage />)} />
        <Route path="training/operations/surveys" element={gated('training.read', <SurveyResultsPage />)} />
        <Route path="training/operations/surveys/new" element={gated('training.manage', <SurveyFormPage />)} />
        <Route path="training/operations/surveys/mine" element={gated('training.learn', <MySurveysPage />)} />
        <Route path="training/operations/surveys/take/:invitationId" element={gated('training.learn', <TakeSurveyPage />)} />
        <Route path="training/operations/overdue" element={gated('training.read', <OverduePage />)} />

        <Route path="*" element={<NotFoundState what="page" backTo="/" backLabel="Go to the overview" />} />
      </Route>
    </Routes>
  );
}
