"""How a scene's frames become video files (not what they show): the layer under the scenes.

- :mod:`lessonvideo.segment_encoder`: the MP4 encoder that encodes a held frame a few times however long
  it is held, with the lesson's x264 settings, and joins segments keeping their timestamps;
- :mod:`lessonvideo.safe_output`: Manim's file writer whose final files appear whole or not at all (and
  that uses that encoder);
- :mod:`lessonvideo.filled_heap`: heap memory handed out filled with one byte, so the same scene gives
  the same video bytes every run.

It imports Manim and PyAV, none of our other packages: the kit's base scene
(:class:`scenes.kit.lesson_scene.LessonScene`) hands Manim its writer, so ``manim render`` and
``backprop lesson`` write alike.
"""
