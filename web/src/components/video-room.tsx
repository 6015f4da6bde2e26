/**
 * The LiveKit room of a video session, in the page. Loaded on demand (party-extras.tsx imports it
 * lazily): the SDK is large and most visits never open a video session.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Space, Spin, Typography } from 'antd';
import {
  ConnectionError,
  ConnectionErrorReason,
  createLocalTracks,
  LogLevel,
  MediaDeviceFailure,
  Room,
  RoomEvent,
  setLogLevel,
  Track,
  type LocalAudioTrack,
  type LocalTrack,
  type LocalVideoTrack,
  type RemoteParticipant,
} from 'livekit-client';

// The SDK narrates every step on the console; a failure is told to the person on the page instead.
setLogLevel(LogLevel.silent);

type Phase = 'media' | 'connecting' | 'connected' | 'failed';

/** What a refused or missing camera/microphone means for the person, in words they can act on. */
function mediaMessage(error: unknown): string {
  switch (MediaDeviceFailure.getFailure(error)) {
    case MediaDeviceFailure.PermissionDenied:
      return '未获得摄像头和麦克风的使用权限。请在浏览器地址栏左侧的权限设置中允许本网站使用摄像头和麦克风，然后点“重新连接”。您仍可以进入会议室观看和收听。';
    case MediaDeviceFailure.NotFound:
      return '没有找到摄像头或麦克风。请接好设备后点“重新连接”。您仍可以进入会议室观看和收听。';
    case MediaDeviceFailure.DeviceInUse:
      return '摄像头或麦克风正被其他程序占用。请关闭其他视频软件后点“重新连接”。';
    default:
      return '无法打开摄像头或麦克风。您仍可以进入会议室观看和收听。';
  }
}

/** Why the room could not be entered. */
function connectMessage(error: unknown): string {
  if (error instanceof ConnectionError && error.reason === ConnectionErrorReason.NotAllowed) {
    return '视频服务拒绝了本次进入，入口可能已经过期。请离开后重新点“进入视频调解”。';
  }
  return '无法连接视频服务。请检查网络后点“重新连接”；仍然不行，请联系调解员改用电话或现场调解。';
}

/** One remote participant: their camera (or their name when it is off) and their voice. */
function RemoteTile({ participant, version }: { participant: RemoteParticipant; version: number }) {
  const video = useRef<HTMLVideoElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const cam = participant.getTrackPublication(Track.Source.Camera);
  const mic = participant.getTrackPublication(Track.Source.Microphone);
  const camTrack = cam?.isSubscribed && !cam.isMuted ? cam.track : undefined;
  const micTrack = mic?.isSubscribed ? mic.track : undefined;
  useEffect(() => {
    if (!camTrack || !video.current) return;
    camTrack.attach(video.current);
    const el = video.current;
    return () => void camTrack.detach(el);
  }, [camTrack, version]);
  useEffect(() => {
    if (!micTrack || !audio.current) return;
    micTrack.attach(audio.current);
    const el = audio.current;
    return () => void micTrack.detach(el);
  }, [micTrack, version]);
  const name = participant.name || participant.identity;
  return (
    <figure className="video-tile" aria-label={`${name}的画面`}>
      {camTrack ? <video ref={video} autoPlay playsInline muted /> : <div className="video-off">{name}<br />未开摄像头</div>}
      <audio ref={audio} autoPlay />
      <figcaption>{name}{mic?.isMuted || !mic ? '（静音）' : ''}</figcaption>
    </figure>
  );
}

/**
 * Joins the room with the token joinSession handed out: the camera and microphone are opened first
 * (the person sees themself while connecting), then published once connected.
 */
export default function VideoRoom({ url, token, onLeave }: { url: string; token: string; onLeave: () => void }) {
  const [phase, setPhase] = useState<Phase>('media');
  const [mediaProblem, setMediaProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [tracks, setTracks] = useState<LocalTrack[] | null>(null);
  const [camOn, setCamOn] = useState(true);
  const [micOn, setMicOn] = useState(true);
  const [remotes, setRemotes] = useState<RemoteParticipant[]>([]);
  const [version, setVersion] = useState(0);
  const [attempt, setAttempt] = useState(0);
  /** A browser may hold back the others' voices until the person presses something in the page. */
  const [audioBlocked, setAudioBlocked] = useState(false);
  const room = useRef<Room | null>(null);
  const self = useRef<HTMLVideoElement>(null);
  /** Set once the room was entered: only then is a disconnection news (a failed connect is told as such). */
  const entered = useRef(false);
  const leaving = useRef(false);

  // The camera and microphone, asked for again on each "重新连接" after a refusal.
  useEffect(() => {
    let cancelled = false;
    let opened: LocalTrack[] = [];
    setPhase('media');
    createLocalTracks({ audio: true, video: { resolution: { width: 640, height: 360 } } })
      .then((t) => {
        opened = t;
        if (cancelled) return t.forEach((x) => x.stop());
        setMediaProblem(null);
        setTracks(t);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setMediaProblem(mediaMessage(e));
        setTracks([]);
      });
    return () => {
      cancelled = true;
      opened.forEach((x) => x.stop());
      setTracks(null);
    };
  }, [attempt]);

  const camera = tracks?.find((t): t is LocalVideoTrack => t.kind === Track.Kind.Video);
  const microphone = tracks?.find((t): t is LocalAudioTrack => t.kind === Track.Kind.Audio);

  useEffect(() => {
    if (!camera || !self.current) return;
    camera.attach(self.current);
    const el = self.current;
    return () => void camera.detach(el);
  }, [camera, camOn]);

  // The connection, once the media step has settled (with or without a camera).
  useEffect(() => {
    if (tracks === null) return;
    let cancelled = false;
    const r = new Room({ adaptiveStream: true, dynacast: true });
    room.current = r;
    const refresh = () => {
      setRemotes([...r.remoteParticipants.values()]);
      setVersion((v) => v + 1);
    };
    r.on(RoomEvent.ParticipantConnected, refresh)
      .on(RoomEvent.ParticipantDisconnected, refresh)
      .on(RoomEvent.TrackSubscribed, refresh)
      .on(RoomEvent.TrackUnsubscribed, refresh)
      .on(RoomEvent.TrackMuted, refresh)
      .on(RoomEvent.TrackUnmuted, refresh)
      .on(RoomEvent.AudioPlaybackStatusChanged, () => setAudioBlocked(!r.canPlaybackAudio))
      .on(RoomEvent.Disconnected, () => {
        if (cancelled || leaving.current || !entered.current) return;
        entered.current = false;
        setRemotes([]);
        setFailure('与视频服务的连接已断开。请点“重新连接”。');
        setPhase('failed');
      });
    setPhase('connecting');
    setFailure(null);
    void (async () => {
      try {
        await r.connect(url, token);
        if (cancelled) return;
        entered.current = true;
        for (const t of tracks) await r.localParticipant.publishTrack(t);
        setPhase('connected');
        refresh();
      } catch (e) {
        if (cancelled) return;
        setFailure(connectMessage(e));
        setPhase('failed');
      }
    })();
    return () => {
      cancelled = true;
      entered.current = false;
      room.current = null;
      void r.disconnect();
    };
  }, [url, token, tracks]);

  async function toggleCamera() {
    if (!camera) return;
    if (camOn) await camera.mute();
    else await camera.unmute();
    setCamOn(!camOn);
  }
  async function toggleMicrophone() {
    if (!microphone) return;
    if (micOn) await microphone.mute();
    else await microphone.unmute();
    setMicOn(!micOn);
  }

  return (
    <section aria-label="视频调解室">
      <style>{`
        .video-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 8px; }
        .video-tile { margin: 0; position: relative; background: #1d2b27; border-radius: 6px; overflow: hidden; aspect-ratio: 16 / 9; }
        .video-tile video { width: 100%; height: 100%; object-fit: cover; display: block; }
        .video-tile figcaption { position: absolute; left: 0; bottom: 0; padding: 2px 8px; color: #fff; background: rgba(0,0,0,.55); font-size: 13px; }
        .video-off { color: #e8f0ed; display: flex; align-items: center; justify-content: center; text-align: center; height: 100%; }
      `}</style>
      {mediaProblem && <Alert type="warning" showIcon role="alert" title="摄像头或麦克风不可用" description={mediaProblem} style={{ marginBottom: 8 }} />}
      {phase === 'failed' && failure && <Alert type="error" showIcon role="alert" title="未能进入视频会议室" description={failure} style={{ marginBottom: 8 }} />}
      {(phase === 'media' || phase === 'connecting') && (
        <p><Spin size="small" /> {phase === 'media' ? '正在打开摄像头和麦克风…' : '正在连接视频服务…'}</p>
      )}
      {phase === 'connected' && (
        <Typography.Paragraph type="secondary">
          已进入会议室。{remotes.length === 0 ? '其他人还没有进入，请稍候。' : `会议室里还有 ${remotes.length} 人。`}
        </Typography.Paragraph>
      )}
      <div className="video-grid">
        <figure className="video-tile" aria-label="我的画面">
          {camera && camOn ? <video ref={self} autoPlay playsInline muted style={{ transform: 'scaleX(-1)' }} /> : <div className="video-off">我<br />{camera ? '摄像头已关闭' : '没有摄像头画面'}</div>}
          <figcaption>我{microphone && !micOn ? '（已静音）' : ''}</figcaption>
        </figure>
        {remotes.map((p) => <RemoteTile key={p.identity} participant={p} version={version} />)}
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Button disabled={!camera} aria-pressed={!camOn} onClick={() => void toggleCamera()}>{camOn ? '关闭摄像头' : '打开摄像头'}</Button>
        <Button disabled={!microphone} aria-pressed={!micOn} onClick={() => void toggleMicrophone()}>{micOn ? '静音' : '取消静音'}</Button>
        {phase === 'connected' && audioBlocked && <Button type="primary" onClick={() => void room.current?.startAudio()}>播放其他人的声音</Button>}
        {phase === 'failed' && <Button onClick={() => setAttempt((a) => a + 1)}>重新连接</Button>}
        <Button danger onClick={() => { leaving.current = true; void room.current?.disconnect(); onLeave(); }}>离开会议室</Button>
      </Space>
    </section>
  );
}
